import { generateKeyPairSync, randomUUID, type JsonWebKey } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from "oidc-provider";

/*
 * The platform's identity provider for the single sign-on tests: the real
 * `oidc-provider`, on loopback, issuing JWT access tokens (RFC 9068) for the
 * registry as a resource. A platform service gets one by client credentials with
 * a resource indicator, a person by the authorization code flow, signing in on
 * the provider's own login form (devInteractions) driven over HTTP, or in a browser
 * through a public client (the console: PKCE required, no client secret).
 */

/** A person the provider knows: their claims, and the permissions their grant holds on the registry. */
export type IdentityProviderUser = Readonly<{
  sub: string;
  name?: string;
  email?: string;
  workspaceId: string;
  permissions: readonly string[];
}>;

/** A signing key of the provider: the private JWK it signs with, and its key id. */
export type SigningKey = Readonly<{ kid: string; privateJwk: JsonWebKey; publicJwk: JsonWebKey }>;

export const newSigningKey = (): SigningKey => {
  const kid = `key-${randomUUID().slice(0, 8)}`;
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    kid,
    privateJwk: { ...privateKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" },
    publicJwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "ES256", use: "sig" },
  };
};

export type IdentityProviderOptions = Readonly<{
  /** The resource indicator of the registry, which becomes the tokens' `aud`. */
  audience: string;
  users: readonly IdentityProviderUser[];
  /** A platform service's client: its workspace and the permissions it may ask for. */
  service: Readonly<{ workspaceId: string; permissions: readonly string[] }>;
  /** The key set, the signing key first; a fresh key if none is given. */
  keys?: readonly SigningKey[];
  /** Listen here (a restart keeps its port); a free one if none is given. */
  port?: number;
  /** A public client signing people in from a browser: authorization code with PKCE (S256), no secret. */
  publicClient?: Readonly<{ clientId: string; redirectUris: readonly string[] }>;
}>;

export type IdentityProvider = Readonly<{
  issuer: string;
  port: number;
  keys: readonly SigningKey[];
  /** An access token for the platform service: client credentials with the registry as the resource. */
  serviceToken: (scope?: string) => Promise<string>;
  /** An access token for a person: they sign in on the login form, and the code is exchanged for a token. */
  userToken: (sub: string) => Promise<string>;
  /**
   * Stops it, then starts it again on the same port with this key set (how a provider rotates its keys),
   * and with these changes to its options (a client registered once the application's address is known).
   */
  restartWith: (
    keys: readonly SigningKey[],
    changes?: Partial<Omit<IdentityProviderOptions, "keys" | "port">>,
  ) => Promise<IdentityProvider>;
  stop: () => Promise<void>;
}>;

const service = { clientId: "platform-service", secret: "platform-service-secret-0123456789abcdef" };
const webApp = {
  clientId: "registry-console",
  secret: "registry-console-secret-0123456789abcdef",
  redirectUri: "http://127.0.0.1/callback",
};

const publicClients = ({ publicClient }: IdentityProviderOptions): ClientMetadata[] =>
  publicClient
    ? [
        {
          client_id: publicClient.clientId,
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code"],
          redirect_uris: [...publicClient.redirectUris],
          response_types: ["code"],
          id_token_signed_response_alg: "ES256",
        },
      ]
    : [];

const configuration = (options: IdentityProviderOptions, keys: readonly SigningKey[]): Configuration => {
  const userOf = (sub: string | undefined) => options.users.find((user) => user.sub === sub);
  const permissionsOf = (sub: string | undefined) => userOf(sub)?.permissions ?? options.service.permissions;
  return {
    clients: [
      {
        client_id: service.clientId,
        client_secret: service.secret,
        grant_types: ["client_credentials"],
        redirect_uris: [],
        response_types: [],
        id_token_signed_response_alg: "ES256",
      },
      {
        client_id: webApp.clientId,
        client_secret: webApp.secret,
        grant_types: ["authorization_code"],
        redirect_uris: [webApp.redirectUri],
        response_types: ["code"],
        id_token_signed_response_alg: "ES256",
      },
      ...publicClients(options),
    ],
    jwks: { keys: keys.map((key) => key.privateJwk) },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== options.audience) throw new Error(`unknown resource ${resource}`);
          return {
            scope: "admin clientapps:read clientapps:write clientapps:register workspace-manage-config:read workspace-manage-config:write",
            accessTokenFormat: "jwt",
            accessTokenTTL: 3600,
            jwt: { sign: { alg: "ES256" } },
          };
        },
      },
    },
    scopes: ["openid", "profile", "email"],
    claims: { openid: ["sub"], profile: ["name"], email: ["email"] },
    findAccount: (_ctx, sub) => {
      const user = userOf(sub);
      return user && { accountId: sub, claims: () => ({ sub, name: user.name, email: user.email }) };
    },
    // The platform's own claims in every access token: who, in which workspace.
    extraTokenClaims: (_ctx, token) => {
      const accountId = "accountId" in token ? (token.accountId as string | undefined) : undefined;
      const user = userOf(accountId);
      if (user) return { workspace_id: user.workspaceId, name: user.name, email: user.email };
      return { workspace_id: options.service.workspaceId };
    },
    // A first-party application: the platform grants what each person holds, without a consent screen.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid profile email");
      grant.addResourceScope(options.audience, permissionsOf(session.accountId).join(" "));
      await grant.save();
      return grant;
    },
    // PKCE is required of a public client, which has no secret to prove that it is the one that asked for the code.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    // A browser application may call the token endpoint from its redirect URIs' origins; nothing else is let through.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === "none" && (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    ttl: { AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 3600, Grant: 3600, IdToken: 3600, Interaction: 600, Session: 3600 },
  };
};

const listen = (server: Server, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });

/** The cookies a response sets, as one Cookie header, merged into the jar. */
const keepCookies = (jar: Map<string, string>, response: Response): void => {
  for (const cookie of response.headers.getSetCookie()) {
    const [pair] = cookie.split(";");
    const [name, ...value] = (pair ?? "").split("=");
    if (name) jar.set(name.trim(), value.join("="));
  }
};

const cookieHeader = (jar: Map<string, string>): string => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

export const startIdentityProvider = async (options: IdentityProviderOptions): Promise<IdentityProvider> => {
  const keys = options.keys ?? [newSigningKey()];
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration(options, keys));
  const handle = provider.callback();
  // No keep-alive: a restart (a key rotation) must not leave clients a pooled connection the old process closed.
  server.on("request", (request, response) => {
    response.setHeader("Connection", "close");
    void handle(request, response);
  });

  const tokenRequest = async (client: Readonly<{ clientId: string; secret: string }>, body: Record<string, string>) => {
    const response = await fetch(`${issuer}/token`, {
      method: "POST",
      headers: {
        Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString("base64")}`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(body),
    });
    const answer = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!answer.access_token) throw new Error(`the provider issued no token: ${answer.error}: ${answer.error_description}`);
    return answer.access_token;
  };

  /** Follows redirects by hand, keeping the provider's cookies, until one leaves the provider. */
  const follow = async (start: string, jar: Map<string, string>, init: RequestInit = {}): Promise<Response> => {
    let response = await fetch(start, { ...init, redirect: "manual", headers: { ...init.headers, Cookie: cookieHeader(jar) } });
    for (let hops = 0; hops < 10; hops++) {
      keepCookies(jar, response);
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return response;
      const next = new URL(location, issuer);
      if (next.origin !== issuer) return response;
      response = await fetch(next, { redirect: "manual", headers: { Cookie: cookieHeader(jar) } });
    }
    throw new Error("too many redirects");
  };

  const userToken = async (sub: string): Promise<string> => {
    const jar = new Map<string, string>();
    const authorize = new URL(`${issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: webApp.clientId,
      response_type: "code",
      redirect_uri: webApp.redirectUri,
      scope: `openid profile email ${(options.users.find((user) => user.sub === sub)?.permissions ?? []).join(" ")}`.trim(),
      resource: options.audience,
      state: randomUUID(),
    }).toString();
    // The login form, then (if the provider asks) a consent form: each submitted with its hidden fields, as a browser would.
    let page = await follow(authorize.toString(), jar);
    for (let form = 0; form < 3 && page.status === 200; form++) {
      const html = await page.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`the provider showed a page without a form: ${html.slice(0, 200)}`);
      const fields = new URLSearchParams(
        [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name, value]): [string, string] => [
          name!,
          value!,
        ]),
      );
      if (fields.get("prompt") === "login") {
        fields.set("login", sub);
        fields.set("password", "any");
      }
      page = await follow(new URL(action, issuer).toString(), jar, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: fields,
      });
    }
    const signedIn = page;
    const callback = signedIn.headers.get("location");
    const code = callback ? new URL(callback).searchParams.get("code") : null;
    if (!code) throw new Error(`the sign-in ended without a code (status ${signedIn.status}): ${await signedIn.text()}`);
    return tokenRequest(webApp, { grant_type: "authorization_code", code, redirect_uri: webApp.redirectUri, resource: options.audience });
  };

  const stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  };

  return {
    issuer,
    port,
    keys,
    serviceToken: (scope = options.service.permissions.join(" ")) =>
      tokenRequest(service, { grant_type: "client_credentials", resource: options.audience, scope }),
    userToken,
    restartWith: async (next, changes = {}) => {
      await stop();
      return startIdentityProvider({ ...options, ...changes, keys: next, port });
    },
    stop,
  };
};
