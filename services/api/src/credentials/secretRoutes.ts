import { newCredentialId } from "@clientapps/credentials";
import { z } from "zod";
import { ClientIdParams, WriteHeaders, type ClientApplicationRouteDependencies } from "../clientApplications/clientApplicationRoutes.js";
import { executeClientCommand } from "../commands/executeClientCommand.js";
import { freshCredential } from "../commands/freshCredential.js";
import { sendWritten } from "../commands/sendWritten.js";
import { defineRoute, type Route } from "../http/routes/defineRoute.js";
import { IdempotencyKey } from "../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../http/routes/routeResponses.js";
import { RotatedSecretResource, RotateSecretRequest } from "./credentialSchemas.js";

/**
 * `POST /clientapplications/{clientId}/secret`: a new secret, shown once; the
 * current ones keep working for the grace period, then the server retires them.
 */
export const secretRoutes = (deps: ClientApplicationRouteDependencies): Route[] => [
  defineRoute({
    method: "post",
    path: "/api/v1/clientapplications/{clientId}/secret",
    operationId: "rotateClientSecret",
    tags: ["Credentials"],
    summary: "Rotate the client secret; the current ones keep working for the grace period, then the server retires them",
    access: "write",
    idempotent: true,
    params: ClientIdParams,
    headers: WriteHeaders.extend({ "Idempotency-Key": IdempotencyKey.optional() }),
    body: { schema: RotateSecretRequest, contentTypes: ["application/json"], required: false },
    responses: {
      200: {
        description: "The client with its new secret, shown this once",
        headers: writtenHeaders.extend({ "Cache-Control": z.literal("no-store") }),
        content: json(RotatedSecretResource),
      },
      404: notFound(),
      409: problem("A public client has no secret, too many secrets are in their grace period, or an Idempotency-Key request is in flight"),
      412: preconditionFailed,
    },
    handler: async ({ params: { clientId }, body: { gracePeriodSeconds } }, request, response) => {
      const secret = freshCredential(deps.hasher, "clientSecret");
      const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => ({
        type: "RotateSecret",
        data: { workspaceId: caller.workspaceId, clientId, secretId: newCredentialId("sec"), secret: secret.stored, gracePeriodSeconds },
        metadata: { now },
      }));
      response.setHeader("Cache-Control", "no-store");
      sendWritten(response, 200, executed, { clientSecret: secret.value });
    },
  }),
];
