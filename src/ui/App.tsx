import { lazy, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { firstScreenShown } from './startup/firstScreen';
import { TodayPage } from './today/TodayPage';

// Every screen but Today loads on demand: the first screen stays small, and the service worker has
// precached every chunk, so offline they open as fast as if they were bundled.
const RegisterPage = lazy(() => import('./register/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const SessionEditPage = lazy(() =>
  import('./sessions/SessionEditPage').then((m) => ({ default: m.SessionEditPage })),
);
const ProgrammesPage = lazy(() =>
  import('./programmes/ProgrammesPage').then((m) => ({ default: m.ProgrammesPage })),
);
const ProgrammeEditPage = lazy(() =>
  import('./programmes/ProgrammeEditPage').then((m) => ({ default: m.ProgrammeEditPage })),
);
const EnrolPage = lazy(() => import('./enrol/EnrolPage').then((m) => ({ default: m.EnrolPage })));
const VenuesPage = lazy(() => import('./venues/VenuesPage').then((m) => ({ default: m.VenuesPage })));
const VenueEditPage = lazy(() =>
  import('./venues/VenueEditPage').then((m) => ({ default: m.VenueEditPage })),
);
const LearnersPage = lazy(() => import('./learners/LearnersPage').then((m) => ({ default: m.LearnersPage })));
const LearnerPage = lazy(() => import('./learners/LearnerPage').then((m) => ({ default: m.LearnerPage })));
const DuplicatesPage = lazy(() =>
  import('./duplicates/DuplicatesPage').then((m) => ({ default: m.DuplicatesPage })),
);
const ConflictsPage = lazy(() =>
  import('./conflicts/ConflictsPage').then((m) => ({ default: m.ConflictsPage })),
);
const LearnerDetailsEditPage = lazy(() =>
  import('./learners/LearnerDetailsEditPage').then((m) => ({ default: m.LearnerDetailsEditPage })),
);
const SignInPage = lazy(() => import('./sync/SignInPage').then((m) => ({ default: m.SignInPage })));
const SetupPage = lazy(() => import('./sync/SetupPage').then((m) => ({ default: m.SetupPage })));
const SyncPage = lazy(() => import('./sync/SyncPage').then((m) => ({ default: m.SyncPage })));
const PeoplePage = lazy(() => import('./people/PeoplePage').then((m) => ({ default: m.PeoplePage })));
const DevicesPage = lazy(() => import('./devices/DevicesPage').then((m) => ({ default: m.DevicesPage })));
const AcceptInvitationPage = lazy(() =>
  import('./people/AcceptInvitationPage').then((m) => ({ default: m.AcceptInvitationPage })),
);
const AssessmentPage = lazy(() =>
  import('./journey/AssessmentPage').then((m) => ({ default: m.AssessmentPage })),
);
const PassportPrintPage = lazy(() =>
  import('./journey/PassportPrintPage').then((m) => ({ default: m.PassportPrintPage })),
);
const OutcomePage = lazy(() => import('./journey/OutcomePage').then((m) => ({ default: m.OutcomePage })));
const FollowUpsPage = lazy(() =>
  import('./journey/FollowUpsPage').then((m) => ({ default: m.FollowUpsPage })),
);
const LoansPage = lazy(() => import('./loans/LoansPage').then((m) => ({ default: m.LoansPage })));
const LoanDeviceEditPage = lazy(() =>
  import('./loans/LoanDeviceEditPage').then((m) => ({ default: m.LoanDeviceEditPage })),
);
const SimEditPage = lazy(() => import('./loans/SimEditPage').then((m) => ({ default: m.SimEditPage })));
const LendDevicePage = lazy(() =>
  import('./loans/LendDevicePage').then((m) => ({ default: m.LendDevicePage })),
);
const CloseLoanPage = lazy(() => import('./loans/CloseLoanPage').then((m) => ({ default: m.CloseLoanPage })));
const DashboardPage = lazy(() =>
  import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);
const PriorityAreasPage = lazy(() =>
  import('./priorityAreas/PriorityAreasPage').then((m) => ({ default: m.PriorityAreasPage })),
);
const SettingsPage = lazy(() => import('./settings/SettingsPage').then((m) => ({ default: m.SettingsPage })));
const RetentionPage = lazy(() =>
  import('./dataProtection/RetentionPage').then((m) => ({ default: m.RetentionPage })),
);

/** Client-side routes; the service worker answers every one of them offline with index.html. */
export function App() {
  useEffect(firstScreenShown, []);
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<TodayPage />} />
          <Route path="sessions/new" element={<SessionEditPage />} />
          <Route path="sessions/:sessionId" element={<RegisterPage />} />
          <Route path="sessions/:sessionId/edit" element={<SessionEditPage />} />
          <Route path="programmes" element={<ProgrammesPage />} />
          <Route path="programmes/new" element={<ProgrammeEditPage />} />
          <Route path="programmes/:programmeId" element={<ProgrammeEditPage />} />
          <Route path="programmes/:programmeId/enrol" element={<EnrolPage />} />
          <Route path="venues" element={<VenuesPage />} />
          <Route path="venues/new" element={<VenueEditPage />} />
          <Route path="venues/:venueId" element={<VenueEditPage />} />
          <Route path="learners" element={<LearnersPage />} />
          <Route path="learners/duplicates" element={<DuplicatesPage />} />
          <Route path="learners/:learnerId" element={<LearnerPage />} />
          <Route path="learners/:learnerId/edit" element={<LearnerDetailsEditPage />} />
          <Route path="learners/:learnerId/assessments/new" element={<AssessmentPage />} />
          <Route path="learners/:learnerId/passport" element={<PassportPrintPage />} />
          <Route path="learners/:learnerId/outcomes/new" element={<OutcomePage />} />
          <Route path="learners/:learnerId/lend" element={<LendDevicePage />} />
          <Route path="follow-ups" element={<FollowUpsPage />} />
          <Route path="loans" element={<LoansPage />} />
          <Route path="loans/devices/new" element={<LoanDeviceEditPage />} />
          <Route path="loans/devices/:loanDeviceId" element={<LoanDeviceEditPage />} />
          <Route path="loans/sims/new" element={<SimEditPage />} />
          <Route path="loans/sims/:simId" element={<SimEditPage />} />
          <Route path="loans/:loanId/close" element={<CloseLoanPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="sign-in" element={<SignInPage />} />
          <Route path="setup" element={<SetupPage />} />
          <Route path="sync" element={<SyncPage />} />
          <Route path="people" element={<PeoplePage />} />
          <Route path="devices" element={<DevicesPage />} />
          <Route path="priority-areas" element={<PriorityAreasPage />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="conflicts" element={<ConflictsPage />} />
          <Route path="retention" element={<RetentionPage />} />
          <Route path="invite/:code" element={<AcceptInvitationPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
