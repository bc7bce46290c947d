import { randomUUID } from "node:crypto";
import type { AllStreamResolvedEvent } from "@kurrent/kurrentdb-client";

/** An event of `$all` as the client hands it over, at `commit`, of a stream and type the test names. */
export const resolvedEvent = (
  commit: bigint,
  { streamId = "order-1", type = "Happened" }: Readonly<{ streamId?: string; type?: string }> = {},
): AllStreamResolvedEvent => ({
  event: {
    streamId,
    id: randomUUID(),
    isJson: true,
    revision: 0n,
    type,
    created: new Date(0),
    data: {},
    metadata: {},
    position: { commit, prepare: commit },
  },
});
