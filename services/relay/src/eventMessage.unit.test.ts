import { clientApplicationStreamName } from "@clientapps/domain";
import { Position, type RecordedEvent } from "@clientapps/event-store";
import { describe, expect, it } from "vitest";
import { EventMessage, messageKey, toEventMessage } from "./eventMessage.js";

const recorded = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  eventId: "evt-1",
  type,
  data: { workspaceId: "ws", clientId: "app", ...data } as RecordedEvent["data"],
  metadata: { occurredAt: "2026-01-01T00:00:00.000Z", actor: { type: "credential", id: "cred_1" }, requestId: "req-1" },
  streamName: clientApplicationStreamName("ws", "app"),
  revision: 3,
  position: Position.of(42n),
  recordedAt: "2026-01-01T00:00:00.010Z",
});

describe("toEventMessage", () => {
  it("keys by workspace and client, carries the event id as a header, and reads back through its schema", () => {
    const message = toEventMessage(recorded("ClientDeleted", { deletedOn: "2026-01-01T00:00:00.000Z" }));
    expect(message.key).toBe(messageKey("ws", "app"));
    expect(message.headers).toEqual({ "event-id": "evt-1", "event-type": "ClientDeleted", "workspace-id": "ws" });
    expect(EventMessage.parse(message.value)).toMatchObject({ eventId: "evt-1", type: "ClientDeleted", revision: 3, position: Position.of(42n) });
  });

  it("publishes credential events without their hashes", () => {
    const message = toEventMessage(
      recorded("ApiKeyIssued", {
        apiKey: { keyId: "key_1", name: "ci", scopes: ["clientapps:read"], hash: "HMAC-OF-THE-KEY", fingerprint: "…abcd", createdOn: "x", expiresOn: null },
      }),
    );
    expect(JSON.stringify(message)).not.toContain("HMAC-OF-THE-KEY");
    expect(JSON.stringify(message)).toContain("…abcd");
  });
});
