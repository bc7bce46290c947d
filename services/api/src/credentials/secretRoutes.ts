import { fingerprintOf, generateCredential, newCredentialId } from "@clientapps/credentials";
import { Router } from "express";
import { requireAccess } from "../auth/authenticate.js";
import { executeClientCommand, sendWritten } from "../clientApplications/clientApplicationCommands.js";
import type { ClientApplicationRouteDependencies } from "../clientApplications/clientApplicationRoutes.js";
import { parseOrThrow } from "../http/validate.js";
import { RotateSecretRequest } from "./credentialSchemas.js";

/**
 * `POST /clientapplications/{clientId}/secret`: a new secret, shown once; the
 * current ones keep working for the grace period, then the server retires them.
 */
export const secretRoutes = (deps: ClientApplicationRouteDependencies): Router => {
  const router = Router();
  router.post("/:clientId/secret", requireAccess("write"), async (request, response) => {
    const { gracePeriodSeconds } = parseOrThrow(RotateSecretRequest, request.body ?? {}, "request body");
    const clientId = String(request.params.clientId);
    const secret = generateCredential("clientSecret");
    const executed = await executeClientCommand(deps, request, response, clientId, (caller, now) => ({
      type: "RotateSecret",
      data: {
        workspaceId: caller.workspaceId,
        clientId,
        secretId: newCredentialId("sec"),
        secret: { hash: deps.hasher.hash(secret), fingerprint: fingerprintOf(secret) },
        gracePeriodSeconds,
      },
      metadata: { now },
    }));
    response.setHeader("Cache-Control", "no-store");
    sendWritten(response, 200, executed, { clientSecret: secret });
  });
  return router;
};
