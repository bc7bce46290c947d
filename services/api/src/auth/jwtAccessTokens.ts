import { userActor } from "@clientapps/domain";
import type { OidcConfig } from "@clientapps/runtime";
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import { HttpProblem, Problems } from "../http/problem.js";
import type { Caller } from "./authenticate.js";

/**
 * Bearer JWT access tokens from the platform's identity provider (RFC 9068). Its
 * discovery document names the key set; jose fetches and caches it, and fetches it
 * again when a token names a `kid` it does not hold (at most once per cooldown) or
 * when the cache is older than its maximum age, so a rotated key works at once and a
 * removed one stops working once the cache has been renewed.
 */
export type JwtAccessTokens = Readonly<{
  /** The caller a token stands for, or why it is refused (as RFC 6750's error_description). */
  verify: (token: string, now: Date) => Promise<Readonly<{ caller: Caller }> | Readonly<{ rejected: string }>>;
}>;

/** A JWS in compact form; an unsigned one (`alg: none`) has an empty third part and is refused by the algorithm check. */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

const workspaceId = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,63}$/;

/** Keys come over https, as the issuer does; plain http only from loopback (a provider beside the registry, in tests). */
const keySetUri = z.url({ protocol: /^https?$/ }).refine((value) => {
  const url = new URL(value);
  return url.protocol === "https:" || ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
});

const DiscoveryDocument = z.object({ issuer: z.string(), jwks_uri: keySetUri });

const fetchTimeoutMs = 5000;

const unavailable = () =>
  Problems.unavailable("identity_provider_unavailable", "The identity provider's keys cannot be fetched now; retry shortly.", 5);

/** The key set the discovery document names: looked up on first use, and again after a failed lookup. */
const keySetOf = (config: OidcConfig) => {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const discover = async () => {
    const url = `${config.issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(fetchTimeoutMs), redirect: "error" });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const document = DiscoveryDocument.parse(await response.json());
    // OpenID Connect Discovery §4.3: a document for another issuer is not this one's.
    if (document.issuer !== config.issuer) throw new Error("the discovery document names another issuer");
    return createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: fetchTimeoutMs,
      cacheMaxAge: config.jwksCacheSeconds * 1000,
      cooldownDuration: config.jwksCooldownSeconds * 1000,
    });
  };
  return () => {
    keySet ??= discover().catch((error: unknown) => {
      keySet = undefined;
      throw error;
    });
    return keySet;
  };
};

/** What a token whose verification failed is told; the cause stays in the server. */
const rejectionOf = (error: unknown): string | undefined => {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "nbf":
        return "The token is not valid yet.";
      case "iss":
        return "The token was not issued by the trusted identity provider.";
      case "aud":
        return "The token is not meant for this registry (aud).";
      default:
        return `The token's ${error.claim.replace(/[^A-Za-z0-9_:.-]/g, "")} claim is missing or not valid.`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signature algorithm is not accepted.";
  if (error instanceof errors.JWKSNoMatchingKey) return "The token is signed with a key the identity provider does not publish.";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "The token names no key the identity provider publishes once.";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify.";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) {
    return "The token is not a valid signed JWT.";
  }
  return undefined;
};

/** RFC 9068 §2.1 `at+jwt` (with or without `application/`); `jwt` stands for `JWT` or no `typ` at all. */
const tokenTypeOf = (typ: string | undefined): string => (typ ?? "jwt").toLowerCase().replace(/^application\//, "");

/** Permissions as a space-separated string (`scope`) or a list of strings (a `permissions` claim). */
const permissionsOf = (value: unknown): ReadonlySet<string> => {
  if (typeof value === "string") return new Set(value.split(" ").filter(Boolean));
  if (Array.isArray(value)) return new Set(value.filter((item): item is string => typeof item === "string"));
  return new Set();
};

const stringClaim = (payload: JWTPayload, name: string): string | undefined => {
  const value = payload[name];
  return typeof value === "string" ? value : undefined;
};

export const createJwtAccessTokens = (config: OidcConfig): JwtAccessTokens => {
  const keySet = keySetOf(config);
  return {
    verify: async (token, now) => {
      if (!compactJws.test(token)) return { rejected: "The credential is malformed." };
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      try {
        const keys = await keySet().catch(() => {
          throw unavailable();
        });
        verified = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...config.algorithms],
          clockTolerance: config.clockSkewSeconds,
          currentDate: now,
          requiredClaims: ["exp", "sub"],
        });
      } catch (error) {
        const rejected = rejectionOf(error);
        // Anything else is the provider's side failing (unreachable, an unreadable key set): not the caller's fault.
        if (rejected === undefined) throw error instanceof HttpProblem ? error : unavailable();
        return { rejected };
      }
      const { payload, protectedHeader } = verified;
      const type = tokenTypeOf(protectedHeader.typ);
      if (!(config.tokenTypes as readonly string[]).includes(type)) return { rejected: "The token's type (typ) is not accepted here." };
      const workspace = stringClaim(payload, config.workspaceClaim);
      if (workspace === undefined || !workspaceId.test(workspace)) {
        return { rejected: `The token names no workspace in its ${config.workspaceClaim} claim.` };
      }
      const actor = userActor({ sub: payload.sub ?? "", name: stringClaim(payload, "name"), email: stringClaim(payload, "email") });
      if (actor === undefined) return { rejected: "The token's subject (sub) is not a usable identifier." };
      return {
        caller: {
          credentialId: `user:${actor.id}`,
          workspaceId: workspace,
          scopes: permissionsOf(payload[config.permissionsClaim]),
          credential: { kind: "user" },
          actor,
        },
      };
    },
  };
};
