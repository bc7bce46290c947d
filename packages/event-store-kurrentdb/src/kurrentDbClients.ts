import { KurrentDBClient } from "@kurrent/kurrentdb-client";

/** A use of a shared client; releasing it more than once counts once. */
export type KurrentDbClientLease = Readonly<{ client: KurrentDBClient; release: () => Promise<void> }>;

export type KurrentDbClients = Readonly<{ acquire: (connectionString: string) => KurrentDbClientLease }>;

type ChannelOwner = { getChannel?: () => Promise<{ close: () => void }> };

/**
 * Disposes of a client for good. The client's `dispose()` only cancels its open calls and
 * leaves its gRPC channel (and so its connection) open; the channel is reached through the
 * client's protected `getChannel`, which makes a channel if there was none, but grpc-js
 * channels connect on their first call, so closing a fresh one costs nothing.
 */
export const disposeKurrentDbClient = async (client: KurrentDBClient): Promise<void> => {
  await client.dispose();
  const { getChannel } = client as unknown as ChannelOwner;
  if (typeof getChannel === "function") (await getChannel()).close();
};

/**
 * Clients by connection string, reference-counted: each gRPC client holds a channel and a
 * native bridge client, so every store of a process on the same server shares one, and
 * the last release disposes of it.
 */
export const createKurrentDbClients = (
  connect: (connectionString: string) => KurrentDBClient = (connectionString) => KurrentDBClient.connectionString`${connectionString}`,
  dispose: (client: KurrentDBClient) => Promise<void> = disposeKurrentDbClient,
): KurrentDbClients => {
  const shared = new Map<string, { client: KurrentDBClient; users: number }>();
  return {
    acquire: (connectionString) => {
      const entry = shared.get(connectionString) ?? { client: connect(connectionString), users: 0 };
      shared.set(connectionString, entry);
      entry.users += 1;
      let released = false;
      return {
        client: entry.client,
        release: async () => {
          if (released) return;
          released = true;
          entry.users -= 1;
          if (entry.users > 0) return;
          shared.delete(connectionString);
          await dispose(entry.client);
        },
      };
    },
  };
};

/** The process's clients. */
export const kurrentDbClients: KurrentDbClients = createKurrentDbClients();
