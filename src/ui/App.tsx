import { BrowserRouter, Route, Routes } from 'react-router';
import { EnrolPage } from './enrol/EnrolPage';
import { Layout } from './Layout';
import { LearnerPage } from './learners/LearnerPage';
import { LearnersPage } from './learners/LearnersPage';
import { NotFound } from './NotFound';
import { ProgrammeEditPage } from './programmes/ProgrammeEditPage';
import { ProgrammesPage } from './programmes/ProgrammesPage';
import { RegisterPage } from './register/RegisterPage';
import { SessionEditPage } from './sessions/SessionEditPage';
import { SettingsPage } from './settings/SettingsPage';
import { TodayPage } from './today/TodayPage';
import { VenueEditPage } from './venues/VenueEditPage';
import { VenuesPage } from './venues/VenuesPage';

/** Client-side routes; the service worker answers every one of them offline with index.html. */
export function App() {
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
          <Route path="learners/:learnerId" element={<LearnerPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
