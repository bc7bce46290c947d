import type { PublicWorkspaceEvent } from "@clientapps/domain";
import { z } from "zod";
import { same, type Same } from "./sameShape.js";

/*
 * The public workspace event as a consumer reads it off the bus, one schema per type,
 * held by the compiler to the domain's `PublicWorkspaceEvent` like the client events.
 */

const event = <Type extends string, Shape extends z.ZodRawShape>(type: Type, data: Shape) =>
  z.object({ type: z.literal(type), data: z.object({ workspaceId: z.string(), ...data }).readonly() }).readonly();

export const PublicWorkspaceEventSchema = z.discriminatedUnion("type", [
  event("WorkspaceCreated", { displayName: z.string(), createdOn: z.string() }),
  event("WorkspaceRenamed", { displayName: z.string(), previousDisplayName: z.string(), renamedOn: z.string() }),
  event("WorkspaceSuspended", { suspendedOn: z.string() }),
  event("WorkspaceResumed", { resumedOn: z.string() }),
  event("WorkspaceDeleted", { deletedOn: z.string() }),
  event("AdminTokenIssued", {
    adminToken: z
      .object({
        tokenId: z.string(),
        label: z.string(),
        scopes: z.array(z.string()).readonly(),
        fingerprint: z.string(),
        createdOn: z.string(),
        expiresOn: z.string().nullable(),
      })
      .readonly(),
  }),
  event("AdminTokenRevoked", { tokenId: z.string(), fingerprint: z.string(), revokedOn: z.string() }),
]);

same<Same<z.output<typeof PublicWorkspaceEventSchema>, PublicWorkspaceEvent>>();
