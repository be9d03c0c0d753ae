// The browser's one HTTP client: typed calls to the server's /api (accounts, devices, sync). Expected
// failures (offline, signed out, out of date, refused) come back as values, never as exceptions.
import type { WrappedSealingKey } from '../crypto/outboxSeal';
import {
  type ChecksumsResponse,
  type DeviceHealth,
  type Mutation,
  type PullResponse,
  type PushResponse,
  type SyncedEntityType,
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  serverSealingKeySchema,
} from '../domain/sync/protocol';
import type { SignedInUser, SyncFailureKind } from '../domain/sync/status';
import { type LearnerHistory, learnerHistorySchema } from '../domain/history';
import type { UserRole } from '../domain/access';
import {
  type CreatedInvitation,
  type InvitationDetails,
  type PeopleList,
  type UserAccount,
  type UserChange,
  createdInvitationSchema,
  invitationDetailsSchema,
  peopleListSchema,
  userAccountSchema,
} from '../domain/userAccounts';
import { type DeviceSummary, deviceListSchema } from '../domain/devices';
import {
  type ConflictDecision,
  type ConflictResolution,
  type ConflictsAnswer,
  conflictResolutionSchema,
  conflictsAnswerSchema,
} from '../domain/conflicts';
import { type DuplicatesAnswer, duplicatesAnswerSchema } from '../domain/duplicates';
import { type ErasureAnswer, erasureAnswerSchema } from '../domain/erasure';
import {
  type RetentionRunAnswer,
  type RetentionSettingsRequest,
  type RetentionSummary,
  retentionRunAnswerSchema,
  retentionSummarySchema,
} from '../domain/retention';
import { type LearnerMergeAnswer, learnerMergeAnswerSchema } from '../domain/learnerMerge';
import {
  type ImdEdition,
  type PriorityAreasSummary,
  priorityAreasSummarySchema,
} from '../domain/priorityAreas';
import { type ExportRecord, type RecordedExportKind, exportListSchema } from '../domain/reports/exports';
import {
  type DashboardFigures,
  type DashboardPeriod,
  dashboardFiguresSchema,
} from '../domain/reports/dashboard';

export type ApiFailure = {
  kind: SyncFailureKind;
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** The server's kebab-case reason, when it gave one. */
  reason: string | null;
  /** Plain words from the server, or ours when it gave none. */
  message: string;
  details: Record<string, unknown>;
};

/** The server's public key that the outbox is sealed to (GET /api/sync/sealing-key). */
export type ServerSealingKeyAnswer = ReturnType<typeof serverSealingKeySchema.parse>;

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

/** fetch's shape: the browser's, or a test's transport into the server app in-process. */
export type Transport = (input: string, init: RequestInit) => Promise<Response>;

export type SetupRequest = {
  organisationName: string;
  organisationType?: string;
  name: string;
  email: string;
  password: string;
};

export type SyncApi = {
  setupNeeded(): Promise<ApiResult<boolean>>;
  setUp(request: SetupRequest): Promise<ApiResult<SignedInUser>>;
  signIn(email: string, password: string): Promise<ApiResult<SignedInUser>>;
  signOut(): Promise<ApiResult<null>>;
  me(): Promise<ApiResult<SignedInUser>>;
  registerDevice(clientDeviceId: string, acknowledgedMutationId: number): Promise<ApiResult<string>>;
  /** `sealingKeys`: the wrapped keys the sealed mutations name (src/crypto/outboxSeal.ts). */
  push(
    deviceId: string,
    mutations: Mutation[],
    health: DeviceHealth,
    sealingKeys?: readonly WrappedSealingKey[],
  ): Promise<ApiResult<PushResponse>>;
  pull(
    deviceId: string,
    cursor: number,
    options?: { limit?: number; entityType?: SyncedEntityType },
  ): Promise<ApiResult<PullResponse>>;
  checksums(deviceId: string): Promise<ApiResult<ChecksumsResponse>>;
  /** A device reported lost tells the server it has erased its data. */
  reportErased(deviceId: string): Promise<ApiResult<null>>;
  /** The server's current public key to seal the outbox to; needs no sign-in. */
  sealingKey(): Promise<ApiResult<ServerSealingKeyAnswer>>;
};

/**
 * The People calls: a coordinator's, except opening and accepting an invitation, which anyone with
 * the code may. They need a connection: nothing waits in an outbox. Kept apart from SyncApi, which is
 * all the sync engine needs.
 */
export type PeopleApi = {
  listPeople(): Promise<ApiResult<PeopleList>>;
  /**
   * A learner's history as the server keeps it (coordinators only). The device's server id, when it
   * has one, is sent so a viewing of special category answers is logged against this device.
   */
  learnerHistory(learnerId: string, deviceId: string | null): Promise<ApiResult<LearnerHistory>>;
  invite(email: string, role: UserRole): Promise<ApiResult<CreatedInvitation>>;
  withdrawInvitation(invitationId: string): Promise<ApiResult<null>>;
  invitation(code: string): Promise<ApiResult<InvitationDetails>>;
  acceptInvitation(code: string, name: string, password: string): Promise<ApiResult<SignedInUser>>;
  changeUser(userId: string, change: UserChange): Promise<ApiResult<UserAccount>>;
  signOutEverywhere(userId: string): Promise<ApiResult<null>>;
  /** The organisation's devices, most recently heard from first. */
  listDevices(): Promise<ApiResult<DeviceSummary[]>>;
  /** Marks a device lost: at its next contact it sends what it holds, then erases its data. */
  markDeviceLost(deviceId: string): Promise<ApiResult<null>>;
};

/** A coordinator's reports over the whole organisation; they need a connection. */
export type ReportsApi = {
  dashboard(period: DashboardPeriod): Promise<ApiResult<DashboardFigures>>;
  /**
   * A CSV export as a file to save: fetched whole, so a failure is an answer in the app rather than
   * a browser error page, and a download that broke off is never saved as if complete.
   */
  exportCsv(kind: RecordedExportKind, period: DashboardPeriod): Promise<ApiResult<DownloadedFile>>;
  /** The organisation's recent exports, newest first: who took what, when. */
  listExports(): Promise<ApiResult<ExportRecord[]>>;
};

export type DownloadedFile = { blob: Blob; fileName: string };

/** The file name from a Content-Disposition header (`attachment; filename="x.csv"`), or a fallback. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const match = /filename="?([^";]+)"?/i.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

/**
 * The device's secret, which its data key is wrapped under (src/db/vault.ts), asked for at each online
 * sign-in and never stored. A device marked lost is refused (410, 'device-lost').
 */
export type DeviceKeyApi = {
  deviceSecret(deviceId: string): Promise<ApiResult<string>>;
};

/** A coordinator's review of learners enrolled twice; it needs a connection. */
export type DuplicatesApi = {
  /** The possible duplicate pairs, strongest first. */
  duplicates(): Promise<ApiResult<DuplicatesAnswer>>;
  /** Moves every record of `otherLearnerId` to `survivorId` and marks it merged into it. */
  mergeLearners(survivorId: string, otherLearnerId: string): Promise<ApiResult<LearnerMergeAnswer>>;
  /** Says two learners are different people, so they are no longer listed as a pair. */
  dismissDuplicatePair(learnerIds: [string, string]): Promise<ApiResult<null>>;
};

/** A coordinator's review of conflicts sync left (docs/sync-protocol.md, "Conflicts"); it needs a connection. */
export type ConflictsApi = {
  /**
   * The open conflicts, per record, and devices lent twice. The device's server id, when it has one,
   * is sent so a viewing of special category answers is logged against this device.
   */
  conflicts(deviceId: string | null): Promise<ApiResult<ConflictsAnswer>>;
  /** Keeps the current value, or restores the other (the server writes it; every device pulls it). */
  resolveConflict(historyId: string, decision: ConflictDecision): Promise<ApiResult<ConflictResolution>>;
};

/** A coordinator's data protection work (docs/sync-protocol.md, "Data protection"); it needs a connection. */
export type DataProtectionApi = {
  /** Erases a learner's personal data everywhere, for good; `confirmation` is the word typed (ERASE). */
  eraseLearner(learnerId: string, confirmation: string): Promise<ApiResult<ErasureAnswer>>;
  /**
   * Everything held on one learner, as a JSON file to save (a subject access request). The device's
   * server id, when it has one, is sent so an export of equality answers is logged against it.
   */
  subjectAccessExport(learnerId: string, deviceId: string | null): Promise<ApiResult<DownloadedFile>>;
  /** The retention period of each funding stream, and how many learners are due now. */
  retention(): Promise<ApiResult<RetentionSummary>>;
  saveRetention(periods: RetentionSettingsRequest['periods']): Promise<ApiResult<RetentionSummary>>;
  /** Anonymises every learner whose retention period has ended (by erasure, everywhere). */
  runRetention(): Promise<ApiResult<RetentionRunAnswer>>;
};

/**
 * A coordinator's priority areas (docs/sync-protocol.md, "Priority areas"); they need a connection. A
 * refusal's details hold each bad entry, or each bad line of the file.
 */
export type PriorityAreasApi = {
  priorityAreas(): Promise<ApiResult<PriorityAreasSummary>>;
  savePriorityAreas(rule: {
    areas: string[];
    decileThreshold: number;
  }): Promise<ApiResult<PriorityAreasSummary>>;
  /** Sends the CSV file's text as it is; the server checks every line. */
  importPriorityPostcodes(csv: string, edition: ImdEdition): Promise<ApiResult<PriorityAreasSummary>>;
  removePriorityPostcodes(): Promise<ApiResult<PriorityAreasSummary>>;
};

export type SyncApiOptions = {
  /** Where /api lives; '' for the page's own origin. */
  baseUrl?: string;
  appVersion: string;
  transport?: Transport;
};

const FALLBACK_MESSAGES: Record<SyncFailureKind, string> = {
  offline: 'No connection to the server.',
  'not-signed-in': 'Sign in again to sync.',
  'update-required': 'This app is out of date. Update it to sync.',
  'server-outdated': 'The server is older than this app. Ask your coordinator to update the server.',
  'mutation-gap': 'The server is missing some of this device’s changes.',
  'rejected-request': 'The server refused the request.',
  'server-error': 'The server had a problem. Sync will try again.',
  'device-error': 'This device could not store what the server sent.',
};

function failure(
  kind: SyncFailureKind,
  status: number | null,
  body?: { reason?: string; message?: string; details?: Record<string, unknown> },
): ApiFailure {
  return {
    kind,
    status,
    reason: body?.reason ?? null,
    message: body?.message || FALLBACK_MESSAGES[kind],
    details: body?.details ?? {},
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The one error shape `{ error: { reason, message, details } }`, read defensively. */
function errorOf(body: unknown): { reason?: string; message?: string; details?: Record<string, unknown> } {
  if (!isObject(body) || !isObject(body['error'])) return {};
  const error = body['error'];
  return {
    reason: typeof error['reason'] === 'string' ? error['reason'] : undefined,
    message: typeof error['message'] === 'string' ? error['message'] : undefined,
    details: isObject(error['details']) ? error['details'] : undefined,
  };
}

/** Classifies an answer that is not 2xx. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const error = errorOf(body);
  if (status === 401) return failure('not-signed-in', status, error);
  if (status === 426 || error.reason === 'update-required') return failure('update-required', status, error);
  if (error.reason === 'server-outdated') return failure('server-outdated', status, error);
  if (error.reason === 'mutation-gap') return failure('mutation-gap', status, error);
  if (status >= 500) return failure('server-error', status, error);
  return failure('rejected-request', status, error);
}

/** The signed-in person from `{ user }`, or null when the answer does not hold one. */
export function parseUser(body: unknown): SignedInUser | null {
  const user = isObject(body) && isObject(body['user']) ? body['user'] : null;
  if (!user || typeof user['id'] !== 'string' || typeof user['email'] !== 'string') return null;
  const organisation = isObject(user['organisation']) ? user['organisation'] : null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    id: user['id'],
    email: user['email'],
    name: text(user['name']) ?? user['email'],
    role: text(user['role']) ?? '',
    organisationId: text(user['organisationId']) ?? text(organisation?.['id']) ?? '',
    organisationName: text(user['organisationName']) ?? text(organisation?.['name']),
  };
}

export function createSyncApi(
  options: SyncApiOptions,
): SyncApi &
  PeopleApi &
  DeviceKeyApi &
  ReportsApi &
  PriorityAreasApi &
  DuplicatesApi &
  ConflictsApi &
  DataProtectionApi {
  const baseUrl = options.baseUrl ?? '';
  const transport: Transport = options.transport ?? ((input, init) => globalThis.fetch(input, init));

  const syncHeaders = (deviceId: string | null): Record<string, string> => ({
    [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
    [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
    [SYNC_HEADERS.appVersion]: options.appVersion,
    ...(deviceId ? { [SYNC_HEADERS.deviceId]: deviceId } : {}),
  });

  async function request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    deviceId: string | null,
    body: unknown,
    read: (body: unknown) => T | null,
    /** Sends `body`, a string, as it is with this content type (a CSV file) instead of as JSON. */
    textType?: string,
  ): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...syncHeaders(deviceId) };
    if (body !== undefined) headers['content-type'] = textType ?? 'application/json';
    let response: Response;
    try {
      response = await transport(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : textType ? String(body) : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      // fetch rejects only when no answer came: offline, DNS, a dropped connection.
      return { ok: false, failure: failure('offline', null) };
    }
    let parsed: unknown = null;
    try {
      const text = await response.text();
      parsed = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) {
        return {
          ok: false,
          failure: failure('server-error', response.status, { reason: 'unreadable-answer' }),
        };
      }
    }
    if (!response.ok) return { ok: false, failure: failureOf(response.status, parsed) };
    const value = read(parsed);
    if (value === null) {
      return {
        ok: false,
        failure: failure('server-error', response.status, {
          reason: 'unreadable-answer',
          message: 'The server’s answer could not be read.',
        }),
      };
    }
    return { ok: true, value };
  }

  /**
   * A file to save (an export, a subject access request): fetched whole, so a failure is an answer in
   * the app rather than a browser error page, and a download that broke off is never saved as complete.
   */
  async function downloadFile(
    path: string,
    accept: string,
    deviceId: string | null,
    fallbackName: string,
  ): Promise<ApiResult<DownloadedFile>> {
    let response: Response;
    try {
      response = await transport(`${baseUrl}${path}`, {
        method: 'GET',
        headers: { accept, ...syncHeaders(deviceId) },
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      return { ok: false, failure: failure('offline', null) };
    }
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      return { ok: false, failure: failureOf(response.status, body) };
    }
    try {
      // Reading the whole body fails if the server broke the stream off part-way.
      const blob = await response.blob();
      return {
        ok: true,
        value: { blob, fileName: fileNameOf(response.headers.get('content-disposition'), fallbackName) },
      };
    } catch {
      return {
        ok: false,
        failure: failure('server-error', response.status, {
          reason: 'download-broken',
          message: 'The file stopped part-way. Nothing was saved. Try again.',
        }),
      };
    }
  }

  const asObject = <T>(body: unknown): T | null => (isObject(body) ? (body as T) : null);

  /** A reader that parses the answer with a domain schema: null (unreadable) when it does not fit. */
  const parsedWith =
    <T>(schema: { safeParse(body: unknown): { success: true; data: T } | { success: false } }) =>
    (body: unknown): T | null => {
      const parsed = schema.safeParse(body);
      return parsed.success ? parsed.data : null;
    };

  /** An answer with no body (204): success is all it says. */
  const noContent = (result: ApiResult<unknown>): ApiResult<null> =>
    result.ok ? { ok: true, value: null } : result;

  const segment = (value: string) => encodeURIComponent(value);

  return {
    setupNeeded: () =>
      request('GET', '/api/setup', null, undefined, (body) =>
        isObject(body) && typeof body['needed'] === 'boolean' ? body['needed'] : null,
      ),
    setUp: (setup) => request('POST', '/api/setup', null, setup, parseUser),
    signIn: (email, password) => request('POST', '/api/auth/sign-in', null, { email, password }, parseUser),
    signOut: () =>
      request('POST', '/api/auth/sign-out', null, {}, () => true).then((result): ApiResult<null> =>
        result.ok ? { ok: true, value: null } : result,
      ),
    me: () => request('GET', '/api/auth/me', null, undefined, parseUser),
    registerDevice: (clientDeviceId, acknowledgedMutationId) =>
      request(
        'POST',
        '/api/devices',
        null,
        { clientDeviceId, appVersion: options.appVersion, acknowledgedMutationId },
        (body) => (isObject(body) && typeof body['deviceId'] === 'string' ? body['deviceId'] : null),
      ),
    deviceSecret: (deviceId) =>
      request('GET', `/api/devices/${segment(deviceId)}/secret`, null, undefined, (body) =>
        isObject(body) && typeof body['secret'] === 'string' ? body['secret'] : null,
      ),
    reportErased: (deviceId) =>
      request('POST', `/api/devices/${encodeURIComponent(deviceId)}/erased`, null, {}, () => true).then(
        (result): ApiResult<null> => (result.ok ? { ok: true, value: null } : result),
      ),
    push: (deviceId, mutations, health, sealingKeys = []) =>
      request(
        'POST',
        '/api/sync/push',
        deviceId,
        sealingKeys.length > 0 ? { mutations, health, sealingKeys } : { mutations, health },
        (body) =>
          isObject(body) && Array.isArray(body['results']) && typeof body['lastMutationId'] === 'number'
            ? (body as PushResponse)
            : null,
      ),
    pull: (deviceId, cursor, pullOptions = {}) => {
      const query = new URLSearchParams({ cursor: String(cursor) });
      if (pullOptions.limit !== undefined) query.set('limit', String(pullOptions.limit));
      if (pullOptions.entityType) query.set('entityType', pullOptions.entityType);
      return request('GET', `/api/sync/pull?${query.toString()}`, deviceId, undefined, (body) =>
        isObject(body) && Array.isArray(body['records']) && typeof body['cursor'] === 'number'
          ? (body as PullResponse)
          : null,
      );
    },
    sealingKey: () =>
      request('GET', '/api/sync/sealing-key', null, undefined, parsedWith(serverSealingKeySchema)),
    checksums: (deviceId) =>
      request('GET', '/api/sync/checksums', deviceId, undefined, (body) =>
        asObject<ChecksumsResponse>(body) && isObject((body as ChecksumsResponse).tables)
          ? (body as ChecksumsResponse)
          : null,
      ),
    listPeople: () => request('GET', '/api/users', null, undefined, parsedWith(peopleListSchema)),
    learnerHistory: (learnerId, deviceId) =>
      request(
        'GET',
        `/api/learners/${segment(learnerId)}/history`,
        deviceId,
        undefined,
        parsedWith(learnerHistorySchema),
      ),
    invite: (email, role) =>
      request('POST', '/api/invitations', null, { email, role }, parsedWith(createdInvitationSchema)),
    withdrawInvitation: (invitationId) =>
      request('DELETE', `/api/invitations/${segment(invitationId)}`, null, undefined, () => true).then(
        noContent,
      ),
    invitation: (code) =>
      request(
        'GET',
        `/api/invitations/${segment(code)}`,
        null,
        undefined,
        parsedWith(invitationDetailsSchema),
      ),
    acceptInvitation: (code, name, password) =>
      request('POST', `/api/invitations/${segment(code)}/accept`, null, { name, password }, parseUser),
    changeUser: (userId, change) =>
      request('PATCH', `/api/users/${segment(userId)}`, null, change, (body) =>
        isObject(body) ? parsedWith(userAccountSchema)(body['user']) : null,
      ),
    signOutEverywhere: (userId) =>
      request('POST', `/api/users/${segment(userId)}/sign-out-everywhere`, null, {}, () => true).then(
        noContent,
      ),
    listDevices: () =>
      request('GET', '/api/devices', null, undefined, (body) => {
        const parsed = deviceListSchema.safeParse(body);
        return parsed.success ? parsed.data.devices : null;
      }),
    markDeviceLost: (deviceId) =>
      request('POST', `/api/devices/${segment(deviceId)}/lost`, null, {}, () => true).then(noContent),
    duplicates: () => request('GET', '/api/duplicates', null, undefined, parsedWith(duplicatesAnswerSchema)),
    mergeLearners: (survivorId, otherLearnerId) =>
      request(
        'POST',
        `/api/learners/${segment(survivorId)}/merge`,
        null,
        { otherLearnerId },
        parsedWith(learnerMergeAnswerSchema),
      ),
    dismissDuplicatePair: (learnerIds) =>
      request('POST', '/api/duplicates/dismissals', null, { learnerIds }, () => true).then(noContent),
    subjectAccessExport: (learnerId, deviceId) =>
      downloadFile(
        `/api/learners/${segment(learnerId)}/subject-access`,
        'application/json',
        deviceId,
        'subject-access.json',
      ),
    retention: () => request('GET', '/api/retention', null, undefined, parsedWith(retentionSummarySchema)),
    saveRetention: (periods) =>
      request('PUT', '/api/retention', null, { periods }, parsedWith(retentionSummarySchema)),
    runRetention: () => request('POST', '/api/retention/run', null, {}, parsedWith(retentionRunAnswerSchema)),
    eraseLearner: (learnerId, confirmation) =>
      request(
        'POST',
        `/api/learners/${segment(learnerId)}/erase`,
        null,
        { confirmation },
        parsedWith(erasureAnswerSchema),
      ),
    conflicts: (deviceId) =>
      request('GET', '/api/conflicts', deviceId, undefined, parsedWith(conflictsAnswerSchema)),
    resolveConflict: (historyId, decision) =>
      request(
        'POST',
        `/api/conflicts/${segment(historyId)}/resolve`,
        null,
        { decision },
        parsedWith(conflictResolutionSchema),
      ),
    priorityAreas: () =>
      request('GET', '/api/priority-areas', null, undefined, parsedWith(priorityAreasSummarySchema)),
    savePriorityAreas: (rule) =>
      request('PUT', '/api/priority-areas', null, rule, parsedWith(priorityAreasSummarySchema)),
    importPriorityPostcodes: (csv, edition) =>
      request(
        'POST',
        `/api/priority-areas/postcodes?edition=${edition}`,
        null,
        csv,
        parsedWith(priorityAreasSummarySchema),
        'text/csv; charset=utf-8',
      ),
    removePriorityPostcodes: () =>
      request(
        'DELETE',
        '/api/priority-areas/postcodes',
        null,
        undefined,
        parsedWith(priorityAreasSummarySchema),
      ),
    exportCsv: (kind, period) =>
      downloadFile(
        `/api/exports/${kind}.csv?${new URLSearchParams({ from: period.from, to: period.to }).toString()}`,
        'text/csv',
        null,
        `${kind}.csv`,
      ),
    listExports: () =>
      request('GET', '/api/exports', null, undefined, (body) => {
        const parsed = exportListSchema.safeParse(body);
        return parsed.success ? parsed.data.exports : null;
      }),
    dashboard: (period) =>
      request(
        'GET',
        `/api/reports/dashboard?${new URLSearchParams({ from: period.from, to: period.to }).toString()}`,
        null,
        undefined,
        (body) => {
          const parsed = dashboardFiguresSchema.safeParse(body);
          return parsed.success ? parsed.data : null;
        },
      ),
  };
}
