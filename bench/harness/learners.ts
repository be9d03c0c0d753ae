// New learners as a tablet would enrol them, varied enough that their search keys differ: the rows
// the storage and sync benchmarks write.
import type { Learner } from '../../src/domain/records';

const GIVEN = ['Ann', 'Bilal', 'Chloé', 'Dariusz', 'Efua', 'Fatima', 'Gareth', 'Hannah', 'Ionuț', 'Jamal'];
const FAMILY = [
  "O'Neill",
  'Smith',
  'Kowalski',
  'Ahmed',
  'Jones',
  'Nguyen',
  'Okafor',
  'Patel',
  'Williams',
  'Évora',
];

export function makeLearners(count: number, run: number): Learner[] {
  return Array.from({ length: count }, (_, index) => {
    const now = new Date().toISOString();
    return {
      id: crypto.randomUUID(),
      createdAt: now,
      updatedAt: now,
      deviceId: 'bench',
      deleted: false,
      givenNames: GIVEN[index % GIVEN.length] ?? 'Ann',
      familyName: `${FAMILY[(index * 7) % FAMILY.length] ?? 'Smith'}`,
      preferredName: '',
      dateOfBirth: `19${String(40 + (index % 60)).padStart(2, '0')}-0${(index % 9) + 1}-1${index % 10}`,
      addressLines: [`${index} High Street`],
      town: 'Bootle',
      postcode: `L20${(index + run) % 10}NJ`,
      postcodeUnknown: false,
      phone: `0770090${String(index).padStart(4, '0')}`,
      email: `learner${run}-${index}@example.com`,
      preferredLanguage: 'en',
      needsInterpreter: false,
      bslUser: false,
      adjustments: '',
      emergencyContactName: '',
      emergencyContactPhone: '',
      status: 'active',
      mergedInto: null,
    };
  });
}
