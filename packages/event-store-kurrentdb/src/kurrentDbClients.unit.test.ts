import type { KurrentDBClient } from "@kurrent/kurrentdb-client";
import { describe, expect, it } from "vitest";
import { createKurrentDbClients } from "./kurrentDbClients.js";

// Stand-in clients, as no server runs here: each records whether it was disposed.
const standInConnect = () => {
  const made: { connectionString: string; disposed: number }[] = [];
  const connect = (connectionString: string): KurrentDBClient => {
    const record = { connectionString, disposed: 0 };
    made.push(record);
    return { dispose: async () => void (record.disposed += 1) } as unknown as KurrentDBClient;
  };
  return { made, connect };
};

describe("the process's KurrentDB clients", () => {
  it("share one client per connection string and dispose of it when its last user releases it", async () => {
    const { made, connect } = standInConnect();
    const clients = createKurrentDbClients(connect);

    const first = clients.acquire("kurrentdb://a:2113?tls=false");
    const second = clients.acquire("kurrentdb://a:2113?tls=false");
    const other = clients.acquire("kurrentdb://b:2113?tls=false");

    expect(second.client).toBe(first.client);
    expect(other.client).not.toBe(first.client);
    expect(made.map(({ connectionString }) => connectionString)).toEqual(["kurrentdb://a:2113?tls=false", "kurrentdb://b:2113?tls=false"]);

    await first.release();
    await first.release();
    expect(made[0]?.disposed).toBe(0);
    await second.release();
    expect(made[0]?.disposed).toBe(1);
    expect(made[1]?.disposed).toBe(0);
  });

  it("connects afresh once the client of a connection string has been disposed of", async () => {
    const { made, connect } = standInConnect();
    const clients = createKurrentDbClients(connect);

    const first = clients.acquire("kurrentdb://a:2113?tls=false");
    await first.release();
    const again = clients.acquire("kurrentdb://a:2113?tls=false");

    expect(again.client).not.toBe(first.client);
    expect(made).toHaveLength(2);
  });
});
