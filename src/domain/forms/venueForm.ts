import { z } from 'zod';
import { ACCESSIBILITY_FEATURES } from '../codeLists';
import { normalisePostcode } from '../postcode';
import type { Venue } from '../records';
import { checkPostcode, optionalText, requiredText, ticks, yesNo } from './fields';

export const venueFormSchema = z
  .object({
    name: requiredText("Enter the venue's name", 'Name'),
    address: optionalText('Address'),
    postcode: z.string(),
    accessibilityFeatures: ticks(ACCESSIBILITY_FEATURES),
    publicWifi: yesNo,
    loanDevicesKept: yesNo,
    active: z.boolean(),
  })
  .superRefine((values, ctx) => {
    checkPostcode(values.postcode, 'postcode', ctx, "Enter the venue's postcode");
  });
export type VenueFormValues = z.input<typeof venueFormSchema>;

export const EMPTY_VENUE_FORM: VenueFormValues = {
  name: '',
  address: '',
  postcode: '',
  accessibilityFeatures: [],
  publicWifi: '',
  loanDevicesKept: '',
  active: true,
};

type VenueFields = Omit<Venue, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

export function venueFieldsFromForm(values: z.output<typeof venueFormSchema>): VenueFields {
  return {
    name: values.name,
    address: values.address.trim(),
    postcode: normalisePostcode(values.postcode),
    accessibilityFeatures: values.accessibilityFeatures as Venue['accessibilityFeatures'],
    publicWifi: values.publicWifi === 'yes',
    loanDevicesKept: values.loanDevicesKept === 'yes',
    active: values.active,
  };
}

export function venueFormFromRecord(venue: Venue): VenueFormValues {
  return {
    name: venue.name,
    address: venue.address,
    postcode: venue.postcode,
    accessibilityFeatures: [...venue.accessibilityFeatures],
    publicWifi: venue.publicWifi ? 'yes' : 'no',
    loanDevicesKept: venue.loanDevicesKept ? 'yes' : 'no',
    active: venue.active,
  };
}
