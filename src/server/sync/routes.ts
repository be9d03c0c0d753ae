// The sync API of docs/sync-protocol.md: the sealing key, push, pull and checksums. Requests are
// parsed with the shared domain schemas before the database is touched; the rules themselves live in
// src/domain.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  MAX_PUSH_BYTES,
  SYNC_HEADERS,
  judgeVersions,
  pullQuerySchema,
  pushRequestSchema,
} from '../../domain/sync/protocol';
import { requireSession } from '../auth/guard';
import type { Database } from '../db/database';
import { loadViewScope, scopeFingerprint } from '../db/scope';
import { isDeviceLost } from '../devices/devices';
import { PushRefusal, applyPush, pullPageJson, tableChecksums } from '../db/syncStore';
import { errorBody } from '../errors';
import { PushesInFlight } from './pushesInFlight';
import { type SealedChangeOpener, loadSealedChangeOpener } from './sealedChanges';

export type SyncRouteOptions = {
  database: Database;
  /** The server's clock, injectable so tests can play out clock drift. */
  now?: () => number;
};

type VersionedHeaders = {
  protocolVersion: number;
  schemaVersion: number;
  appVersion: string;
  deviceId: string | null;
};

export function registerSyncRoutes(app: FastifyInstance, options: SyncRouteOptions): void {
  const now = options.now ?? Date.now;
  // Loaded (the first key pair made) before the server answers anything: see the onReady hook.
  let sealing: Promise<SealedChangeOpener> | undefined;
  const sealedChanges = () => (sealing ??= loadSealedChangeOpener(options.database));
  const pushesInFlight = new PushesInFlight();
  app.addHook('onReady', async () => {
    await sealedChanges();
  });

  // Public, like the key itself, and without the version or device headers: a device that has never
  // signed in fetches it to seal its first changes.
  app.get('/api/sync/sealing-key', async () => (await sealedChanges()).currentKey);

  app.post(
    '/api/sync/push',
    { bodyLimit: MAX_PUSH_BYTES, errorHandler: answerOversizedPush },
    async (request, reply) => {
      const headers = readVersionHeaders(request, reply);
      if (!headers) return reply;
      if (!headers.deviceId) return refuseDevice(reply);
      const parsed = pushRequestSchema.safeParse(request.body);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 20)
          .map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        return reply
          .code(400)
          .send(
            errorBody(
              'invalid-request',
              `The push is not valid: ${issues[0]?.path || 'body'}: ${issues[0]?.message ?? ''}`,
              { issues },
            ),
          );
      }
      const deviceId = headers.deviceId;
      const inFlight = pushesInFlight.start(deviceId, parsed.data.mutations[0]?.mutationId ?? 0);
      try {
        const caller = await requireSession(request);
        // Opened before the transaction: the crypto holds no lock. Throws 400/409 for the whole push.
        const mutations = await (await sealedChanges()).open(parsed.data);
        const apply = () =>
          options.database.transaction((sql) =>
            applyPush(
              sql,
              {
                organisationId: caller.organisationId,
                userId: caller.userId,
                viewer: caller,
                deviceId,
                appVersion: headers.appVersion,
                nowMillis: now(),
              },
              mutations,
              parsed.data.health,
            ),
          );
        const response = await apply().catch(async (error: unknown) => {
          // Started before the push ahead of it was applied: once that one is done, once more.
          const gap = error instanceof PushRefusal && error.reason === 'mutation-gap';
          if (gap && (await inFlight.earlierDone())) return apply();
          throw error;
        });
        request.log.info(
          {
            mutations: mutations.length,
            sealed: parsed.data.mutations.filter((mutation) => mutation.sealed).length,
            rejected: response.results.filter((result) => result.status === 'rejected').length,
            lastMutationId: response.lastMutationId,
          },
          'push applied',
        );
        return response;
      } catch (error) {
        if (error instanceof PushRefusal) {
          const status = error.reason === 'device-unknown' ? 403 : 409;
          return reply.code(status).send(errorBody(error.reason, error.message, error.details));
        }
        throw error;
      } finally {
        inFlight.finish();
      }
    },
  );

  app.get('/api/sync/pull', async (request, reply) => {
    const headers = readVersionHeaders(request, reply);
    if (!headers) return reply;
    const parsed = pullQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply
        .code(400)
        .send(
          errorBody(
            'invalid-request',
            `The pull is not valid: ${issue?.path.join('.') || 'query'}: ${issue?.message ?? ''}`,
          ),
        );
    }
    const caller = await requireSession(request);
    const { cursor, limit, entityType } = parsed.data;
    // No transaction: the page is one statement (syncStore.ts), which also refuses a lost device.
    const scope = await loadViewScope(options.database, caller.organisationId, caller);
    const body = await pullPageJson(options.database, {
      organisationId: caller.organisationId,
      viewer: caller,
      scope,
      scopeFingerprint: scopeFingerprint(caller, scope),
      cursor,
      limit,
      entityType,
      deviceId: headers.deviceId,
    });
    if (body === null) return refuseLostDevice(reply);
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.get('/api/sync/checksums', async (request, reply) => {
    const headers = readVersionHeaders(request, reply);
    if (!headers) return reply;
    const caller = await requireSession(request);
    if (headers.deviceId && (await isDeviceLost(options.database, caller.organisationId, headers.deviceId))) {
      return refuseLostDevice(reply);
    }
    return options.database.transaction(async (sql) => {
      // One snapshot for every table and the cursor they describe.
      await sql.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const scope = await loadViewScope(sql, caller.organisationId, caller);
      return tableChecksums(sql, caller.organisationId, caller, scope);
    });
  });
}

/** The protocol answers an oversized push 400 with what is wrong, like any other refused push. */
function answerOversizedPush(
  this: FastifyInstance,
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply
      .code(400)
      .send(
        errorBody(
          'payload-too-large',
          `The push is larger than ${MAX_PUSH_BYTES / (1024 * 1024)} MB. Send fewer changes at once.`,
          { maxBytes: MAX_PUSH_BYTES },
        ),
      );
  }
  throw error;
}

/** Reads the version headers and answers 426/409/400 itself when the device cannot sync as it is. */
function readVersionHeaders(request: FastifyRequest, reply: FastifyReply): VersionedHeaders | null {
  const protocolVersion = Number(request.headers[SYNC_HEADERS.protocolVersion]);
  const schemaVersion = Number(request.headers[SYNC_HEADERS.schemaVersion]);
  if (!Number.isInteger(protocolVersion) || !Number.isInteger(schemaVersion)) {
    void reply
      .code(400)
      .send(
        errorBody(
          'invalid-request',
          `Every sync request needs the ${SYNC_HEADERS.protocolVersion} and ${SYNC_HEADERS.schemaVersion} headers.`,
        ),
      );
    return null;
  }
  switch (judgeVersions(protocolVersion, schemaVersion)) {
    case 'too-old':
      void reply.code(426).send(
        errorBody(
          'update-required',
          'This app is out of date. Update it to sync: your changes are kept on the tablet.',
          {
            protocolVersion,
            schemaVersion,
          },
        ),
      );
      return null;
    case 'too-new':
      void reply.code(409).send(
        errorBody(
          'server-outdated',
          'The server is older than this app. Ask your coordinator to update the server.',
          {
            protocolVersion,
            schemaVersion,
          },
        ),
      );
      return null;
    case 'current':
    case 'previous':
      break;
  }
  const appVersion = String(request.headers[SYNC_HEADERS.appVersion] ?? 'unknown').slice(0, 40);
  const deviceHeader = request.headers[SYNC_HEADERS.deviceId];
  const deviceId =
    typeof deviceHeader === 'string' && /^[0-9a-f-]{36}$/i.test(deviceHeader) ? deviceHeader : null;
  return { protocolVersion, schemaVersion, appVersion, deviceId };
}

function refuseDevice(reply: FastifyReply) {
  return reply
    .code(403)
    .send(
      errorBody(
        'device-unknown',
        `Send the device id from registration in the ${SYNC_HEADERS.deviceId} header.`,
      ),
    );
}

/**
 * A device marked lost receives nothing more. It may still push (what it holds reaches the server),
 * and this answer tells it to erase its data afterwards.
 */
function refuseLostDevice(reply: FastifyReply) {
  return reply
    .code(410)
    .send(
      errorBody(
        'device-lost',
        'This device was reported lost. What it held has been sent to the server, and it is erasing its data.',
      ),
    );
}
