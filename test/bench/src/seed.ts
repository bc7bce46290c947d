import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { createSecretHasher, fingerprintOf, generateCredential, newCredentialId } from "@clientapps/credentials";
import { clientApplicationDecider, clientApplicationStreamName, type ClientSecret, type EventMetadata } from "@clientapps/domain";
import { createSqliteEventStore } from "@clientapps/event-store/sqlite";
import { openSqliteDatabase } from "@clientapps/sqlite";

export type SeededClient = Readonly<{ clientId: string; secret: string | undefined }>;

export type SeedOptions = Readonly<{
  dataDir: string;
  pepper: Buffer;
  workspaceId: string;
  count: number;
  clientIdPrefix: string;
  /** Confidential clients get a secret, which the result carries so that loads can present it. */
  confidential: boolean;
}>;

const transactionSize = 1_000;

/**
 * Registers clients by appending their events through the service's own code (the
 * domain's decider and the SQLite event store) into `events.sqlite`, before the service
 * starts: far faster than over HTTP. This connection alone runs with `synchronous=OFF`
 * and batches appends in transactions of {@link transactionSize}; the service opens the
 * file with its own settings afterwards.
 */
export const seedClients = async (options: SeedOptions): Promise<readonly SeededClient[]> => {
  const db = openSqliteDatabase(join(options.dataDir, "events.sqlite"));
  db.pragma("synchronous = OFF");
  const store = createSqliteEventStore(db);
  const hasher = createSecretHasher(options.pepper);
  const seeded: SeededClient[] = [];
  try {
    for (let index = 0; index < options.count; index += 1) {
      if (index % transactionSize === 0) db.exec("BEGIN IMMEDIATE");
      const now = new Date();
      const clientId = `${options.clientIdPrefix}${index}`;
      const raw = options.confidential ? generateCredential("clientSecret") : undefined;
      const secret: ClientSecret | null = raw
        ? {
            secretId: newCredentialId("sec"),
            hash: hasher.hash(raw),
            fingerprint: fingerprintOf(raw),
            createdOn: now.toISOString(),
            expiresOn: null,
          }
        : null;
      const decided = clientApplicationDecider.decide(
        {
          type: "RegisterClient",
          data: {
            workspaceId: options.workspaceId,
            clientId,
            displayName: `Seeded client ${index}`,
            description: "registered by pnpm bench",
            redirectUris: ["https://app.example.com/callback"],
            isConfidential: options.confidential,
            secret,
          },
          metadata: { now },
        },
        clientApplicationDecider.initialState(),
      );
      if (decided.kind === "rejected") throw new Error(`the decider refused a seeded client: ${decided.rejection.detail}`);
      const metadata: EventMetadata = {
        occurredAt: now.toISOString(),
        actor: { type: "system", id: "bench-seed" },
        workspaceId: options.workspaceId,
        requestId: randomUUID(),
        correlationId: randomUUID(),
        causationId: null,
        sourceIp: null,
        userAgent: "pnpm bench",
      };
      await store.appendToStream(
        clientApplicationStreamName(options.workspaceId, clientId),
        decided.events.map((event) => ({ eventId: randomUUID(), type: event.type, data: event.data, metadata })),
        { expectedRevision: "no_stream" },
      );
      seeded.push({ clientId, secret: raw });
      if (index % transactionSize === transactionSize - 1 || index === options.count - 1) db.exec("COMMIT");
    }
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
    await store.close();
    db.close();
  }
  return seeded;
};
