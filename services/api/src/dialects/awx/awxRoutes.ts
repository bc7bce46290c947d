import { randomUUID } from "node:crypto";
import { activityStreamCollection, type ActivityEntry } from "@clientapps/audit-trail";
import {
  applicationNumbersCheckpoint,
  applicationNumbersCollection,
  applicationNumberViewId,
  clientApplicationsCheckpoint,
  clientApplicationViewId,
  type ApplicationNumberView,
  type ClientApplicationView,
} from "@clientapps/client-read-models";
import type { ReadModelStore } from "@clientapps/read-models";
import type { Request, Response } from "express";
import { z } from "zod";
import { callerOf, type Caller } from "../../auth/authenticate.js";
import { PostHeaders, WriteHeaders, type ClientApplicationRouteDependencies } from "../../clientApplications/clientApplicationRoutes.js";
import { executeClientCommand, type Executed } from "../../commands/executeClientCommand.js";
import { freshClientSecret } from "../../commands/freshCredential.js";
import { etagOf } from "../../http/conditional.js";
import { minPosition } from "../../http/minPosition.js";
import { Problems } from "../../http/problem.js";
import { defineRoute, type Route } from "../../http/routes/defineRoute.js";
import { ETagHeader } from "../../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../../http/routes/routeResponses.js";
import {
  awxApplicationPath,
  awxApplicationsPath,
  awxScopeOf,
  changesOf,
  checkOrganization,
  inAwxTerms,
  toAwxApplication,
  tokenNumberOf,
  workingKeys,
} from "./awxApplication.js";
import { awxPageOf, findAll } from "./awxPaging.js";
import {
  AwxApplication,
  AwxApplicationCreate,
  AwxApplicationPatch,
  AwxApplicationReplace,
  AwxItemParams,
  AwxListQuery,
  awxPage,
  hiddenSecret,
  type AwxOrderField,
} from "./awxSchemas.js";
import { awxListOptions } from "./awxOptions.js";

export type AwxRouteDependencies = ClientApplicationRouteDependencies & Readonly<{ readModels: ReadModelStore }>;

export const awxTag = "AWX dialect";
const tags = [awxTag];
const item = `${awxApplicationsPath}{id}/`;

const AwxToken = z.object({
  id: z.number().int(),
  type: z.literal("o_auth2_access_token"),
  description: z.string(),
  scope: z.enum(["read", "write"]),
  token: z.literal(hiddenSecret),
  application: z.number().int(),
  expires: z.string().nullable(),
  created: z.string(),
  modified: z.string(),
});

const AwxActivity = z.object({
  id: z.number().int(),
  type: z.literal("activity_stream"),
  timestamp: z.string(),
  operation: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  object1: z.literal("o_auth2_application"),
  object2: z.string(),
  object_association: z.string(),
  summary_fields: z.object({ actor: z.object({ type: z.string(), id: z.string() }), event_type: z.string() }),
});

const PagedQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(25),
});

const sortKeyOf = (application: AwxApplication, field: AwxOrderField): string | number =>
  field === "id" ? application.id : application[field];

/** AWX's `order_by`: fields, each ascending or (with `-`) descending; ties by id. */
const ordered = (applications: AwxApplication[], orderBy = "name"): AwxApplication[] => {
  const keys = orderBy.split(",").map((key) => ({ field: key.replace(/^-/, "") as AwxOrderField, sign: key.startsWith("-") ? -1 : 1 }));
  return applications.sort((a, b) => {
    for (const { field, sign } of keys) {
      const [x, y] = [sortKeyOf(a, field), sortKeyOf(b, field)];
      if (x !== y) return (x < y ? -1 : 1) * sign;
    }
    return a.id - b.id;
  });
};

const matches = (application: AwxApplication, query: AwxListQuery): boolean => {
  const search = query.search?.toLowerCase();
  return (
    (query.name === undefined || application.name === query.name) &&
    (query.client_id === undefined || application.client_id === query.client_id) &&
    (query.client_type === undefined || application.client_type === query.client_type) &&
    (query.authorization_grant_type === undefined || application.authorization_grant_type === query.authorization_grant_type) &&
    (query.organization === undefined || application.organization === query.organization) &&
    (search === undefined || application.name.toLowerCase().includes(search) || application.description.toLowerCase().includes(search))
  );
};

/**
 * Ansible AWX's `/api/v2/applications/`, over the same commands, events and read
 * models as `/api/v1/clientapplications`. An application's integer id is its
 * number in its workspace (see applicationNumbersProjection).
 */
export const awxRoutes = async (deps: AwxRouteDependencies): Promise<Route[]> => {
  const numbers = await deps.readModels.collection<ApplicationNumberView>(applicationNumbersCollection);
  const activity = await deps.readModels.collection<ActivityEntry>(activityStreamCollection);

  const caughtUp = async (caller: Caller, request: Request) => {
    await deps.readYourWrites.waitFor(caller.credentialId, clientApplicationsCheckpoint, minPosition(request));
    await deps.readYourWrites.waitFor(caller.credentialId, applicationNumbersCheckpoint, minPosition(request));
  };

  const numberOf = async (caller: Caller, clientId: string): Promise<number> => {
    const stored = await numbers.get(applicationNumberViewId(caller.workspaceId, clientId));
    // The projector numbers every client it projects; one missing means the read models are behind.
    if (!stored) throw Problems.unavailable("read_model_behind", "The application's id is not known yet; retry shortly.");
    return stored.document.number;
  };

  /** The application with this id in the caller's workspace: the client, its number and its revision. */
  const applicationOf = async (caller: Caller, request: Request, number: number) => {
    await caughtUp(caller, request);
    const found = await numbers.find({
      where: { workspaceId: caller.workspaceId, number },
      orderBy: { field: "number", direction: "asc" },
      limit: 1,
    });
    const clientId = found.items[0]?.document.clientId;
    const stored = clientId === undefined ? undefined : await deps.views.get(clientApplicationViewId(caller.workspaceId, clientId));
    if (!stored || stored.document.deleted) throw Problems.notFound("client_not_found", `There is no application ${number}.`);
    return { client: stored.document, number, revision: stored.revision };
  };

  const sendApplication = async (response: Response, status: number, executed: Executed, caller: Caller, clientSecret?: string) => {
    if (executed.revision !== undefined) response.setHeader("ETag", etagOf(executed.revision));
    if (executed.position) response.setHeader("X-Position", executed.position);
    if (executed.state.status !== "registered") return void response.status(204).end();
    const { client } = executed.state;
    await deps.readYourWrites.waitFor(caller.credentialId, applicationNumbersCheckpoint, undefined);
    response.status(status).json(toAwxApplication(client, await numberOf(caller, client.clientId), caller, deps.clock(), clientSecret));
  };

  const update = async (request: Request, response: Response, number: number, body: z.infer<typeof AwxApplicationPatch>) => {
    const caller = callerOf(response);
    checkOrganization(caller, body.organization);
    const { client } = await applicationOf(caller, request, number);
    const changes = changesOf(body);
    // The same AWX grant type again keeps the client's grants as they are (a refresh_token or client_credentials set elsewhere).
    const current = toAwxApplication(client, number, caller, deps.clock());
    const { grantTypes, ...others } = changes;
    const executed = await inAwxTerms(() =>
      executeClientCommand(deps, request, response, client.clientId, (_caller, now) => ({
        type: "UpdateClient",
        data: {
          workspaceId: caller.workspaceId,
          clientId: client.clientId,
          changes: body.authorization_grant_type === current.authorization_grant_type ? others : { ...others, grantTypes },
          immutable: body.client_type === undefined ? {} : { isConfidential: body.client_type === "confidential" },
          passwordGrant: true,
        },
        metadata: { now },
      })),
    );
    await sendApplication(response, 200, executed, caller);
  };

  const written = (description: string) => ({ description, headers: writtenHeaders, content: json(AwxApplication) });

  return [
    defineRoute({
      method: "get",
      path: awxApplicationsPath,
      operationId: "awxListApplications",
      tags,
      summary: "List the workspace's applications, as AWX pages them",
      description: "`search` looks in name and description; `order_by` sorts (default `name`); the other parameters filter by equality.",
      access: "read",
      query: AwxListQuery,
      responses: { 200: { description: "One page", content: json(awxPage(AwxApplication)) }, 404: problem("A page past the last") },
      handler: async ({ query }, request, response) => {
        const caller = callerOf(response);
        await caughtUp(caller, request);
        const now = deps.clock();
        const numbered = new Map(
          (await findAll(numbers, { where: { workspaceId: caller.workspaceId }, orderBy: { field: "number", direction: "asc" } })).map(
            (stored) => [stored.document.clientId, stored.document.number],
          ),
        );
        const views = await findAll<ClientApplicationView>(deps.views, {
          where: { workspaceId: caller.workspaceId, deleted: false },
          orderBy: { field: "clientId", direction: "asc" },
        });
        const applications = views.flatMap((stored) => {
          const number = numbered.get(stored.document.clientId);
          return number === undefined ? [] : [toAwxApplication(stored.document, number, caller, now)];
        });
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(
          awxPageOf(
            request,
            ordered(
              applications.filter((application) => matches(application, query)),
              query.order_by,
            ),
            query.page,
            query.page_size,
          ),
        );
      },
    }),
    defineRoute({
      method: "options",
      path: awxApplicationsPath,
      operationId: "awxDescribeApplications",
      tags,
      summary: "What AWX's clients read before they list or create: the fields, their types and which are required",
      access: "read",
      responses: { 200: { description: "AWX's OPTIONS metadata", content: json(z.record(z.string(), z.unknown())) } },
      handler: (_input, _request, response) => {
        const caller = callerOf(response);
        const mayWrite = caller.scopes.has("admin") || caller.scopes.has("clientapps:write");
        response.json(awxListOptions(mayWrite));
      },
    }),
    defineRoute({
      method: "post",
      path: awxApplicationsPath,
      operationId: "awxCreateApplication",
      tags,
      summary: "Register an application; a confidential one gets `client_secret`, this once",
      description: "The `password` grant is accepted for compatibility with AWX, and recorded as the client's grant; OAuth 2.1 drops it.",
      access: "write",
      idempotent: true,
      headers: PostHeaders,
      body: { schema: AwxApplicationCreate, contentTypes: ["application/json"], required: true },
      responses: {
        201: { description: "Created", headers: writtenHeaders.extend({ Location: z.string() }), content: json(AwxApplication) },
      },
      handler: async ({ body }, request, response) => {
        const caller = callerOf(response);
        checkOrganization(caller, body.organization);
        const clientId = randomUUID().replaceAll("-", "");
        const isConfidential = body.client_type === "confidential";
        let clientSecret: string | undefined;
        const executed = await inAwxTerms(() =>
          executeClientCommand(deps, request, response, clientId, (_caller, now) => {
            const fresh = isConfidential ? freshClientSecret(deps.hasher, now) : undefined;
            clientSecret = fresh?.value;
            return {
              type: "RegisterClient",
              data: {
                ...changesOf(body),
                clientId,
                workspaceId: caller.workspaceId,
                isConfidential,
                displayName: body.name,
                secret: fresh?.secret ?? null,
                // AWX offers the password grant; taken here, and only here, for its clients.
                passwordGrant: true,
              },
              metadata: { now },
            };
          }),
        );
        response.setHeader("Cache-Control", "no-store");
        await deps.readYourWrites.waitFor(caller.credentialId, applicationNumbersCheckpoint, undefined);
        response.setHeader("Location", awxApplicationPath(await numberOf(caller, clientId)));
        await sendApplication(response, 201, executed, caller, clientSecret ?? "");
      },
    }),
    defineRoute({
      method: "get",
      path: item,
      operationId: "awxGetApplication",
      tags,
      summary: "Read one application",
      access: "read",
      params: AwxItemParams,
      responses: {
        200: { description: "The application", headers: z.object({ ETag: ETagHeader }), content: json(AwxApplication) },
        404: notFound(),
      },
      handler: async ({ params }, request, response) => {
        const caller = callerOf(response);
        const { client, revision } = await applicationOf(caller, request, params.id);
        response.setHeader("ETag", etagOf(revision));
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(toAwxApplication(client, params.id, caller, deps.clock()));
      },
    }),
    defineRoute({
      method: "put",
      path: item,
      operationId: "awxReplaceApplication",
      tags,
      summary: "Replace the application's fields; those absent return to AWX's defaults",
      description:
        "`client_type` cannot change (a confidential client keeps its secrets, a public one never has any): 400 immutable_field.",
      access: "write",
      params: AwxItemParams,
      headers: WriteHeaders,
      body: { schema: AwxApplicationReplace, contentTypes: ["application/json"], required: true },
      responses: { 200: written("Replaced"), 404: notFound(), 409: problem("It changed concurrently"), 412: preconditionFailed },
      handler: ({ params, body }, request, response) =>
        update(request, response, params.id, { description: "", redirect_uris: "", skip_authorization: false, ...body }),
    }),
    defineRoute({
      method: "patch",
      path: item,
      operationId: "awxPatchApplication",
      tags,
      summary: "Change the fields present",
      access: "write",
      params: AwxItemParams,
      headers: WriteHeaders,
      body: { schema: AwxApplicationPatch, contentTypes: ["application/json"], required: true },
      responses: { 200: written("Changed"), 404: notFound(), 409: problem("It changed concurrently"), 412: preconditionFailed },
      handler: ({ params, body }, request, response) => update(request, response, params.id, body),
    }),
    defineRoute({
      method: "delete",
      path: item,
      operationId: "awxDeleteApplication",
      tags,
      summary: "Delete; its credentials stop working at once and its id is never given again",
      access: "write",
      params: AwxItemParams,
      headers: WriteHeaders,
      responses: {
        204: { description: "Deleted", headers: writtenHeaders },
        404: notFound(),
        409: problem("It changed concurrently"),
        412: preconditionFailed,
      },
      handler: async ({ params }, request, response) => {
        const caller = callerOf(response);
        const { client } = await applicationOf(caller, request, params.id);
        const executed = await executeClientCommand(deps, request, response, client.clientId, (_caller, now) => ({
          type: "DeleteClient",
          data: { workspaceId: caller.workspaceId, clientId: client.clientId },
          metadata: { now },
        }));
        await sendApplication(response, 204, executed, caller);
      },
    }),
    defineRoute({
      method: "get",
      path: `${item}activity_stream/`,
      operationId: "awxListApplicationActivity",
      tags,
      summary: "The application's activity stream, as AWX pages it",
      access: "read",
      params: AwxItemParams,
      query: PagedQuery,
      responses: { 200: { description: "One page", content: json(awxPage(AwxActivity)) }, 404: notFound() },
      handler: async ({ params, query }, request, response) => {
        const caller = callerOf(response);
        const { client } = await applicationOf(caller, request, params.id);
        const entries = await findAll(activity, {
          where: { workspaceId: caller.workspaceId, objectId: client.clientId },
          orderBy: { field: "sequence", direction: "asc" },
        });
        const results = entries.map(({ document: entry }) => ({
          id: entry.sequence,
          type: "activity_stream" as const,
          timestamp: entry.occurredAt,
          operation: entry.operation,
          changes: entry.changes,
          object1: "o_auth2_application" as const,
          object2: "",
          object_association: "",
          summary_fields: { actor: { type: entry.actorType, id: entry.actorId }, event_type: entry.eventType },
        }));
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(awxPageOf(request, results, query.page, query.page_size));
      },
    }),
    defineRoute({
      method: "get",
      path: `${item}tokens/`,
      operationId: "awxListApplicationTokens",
      tags,
      summary: "The application's working API keys, as AWX tokens (the key itself is never shown again)",
      access: "read",
      params: AwxItemParams,
      query: PagedQuery,
      responses: { 200: { description: "One page", content: json(awxPage(AwxToken)) }, 404: notFound() },
      handler: async ({ params, query }, request, response) => {
        const caller = callerOf(response);
        const { client } = await applicationOf(caller, request, params.id);
        const tokens = workingKeys(client, deps.clock()).map((key) => ({
          id: tokenNumberOf(client, key),
          type: "o_auth2_access_token" as const,
          description: key.name,
          scope: awxScopeOf(key),
          token: hiddenSecret,
          application: params.id,
          expires: key.expiresOn,
          created: key.createdOn,
          modified: key.createdOn,
        }));
        response.setHeader("Cache-Control", "private, no-cache");
        response.json(awxPageOf(request, tokens, query.page, query.page_size));
      },
    }),
  ];
};
