import { randomUUID } from "node:crypto";
import { applicationNumbersCheckpoint, type ClientApplicationView } from "@clientapps/client-read-models";
import type { ReadModelStore } from "@clientapps/read-models";
import type { Request, Response } from "express";
import { z } from "zod";
import { callerOf, type Caller } from "../../auth/authenticate.js";
import { PostHeaders, WriteHeaders, type ClientApplicationRouteDependencies } from "../../clientApplications/clientApplicationRoutes.js";
import { executeClientCommand, type Executed } from "../../commands/executeClientCommand.js";
import { freshClientSecret } from "../../commands/freshCredential.js";
import { etagOf } from "../../http/conditional.js";
import { defineRoute, type Route } from "../../http/routes/defineRoute.js";
import { ETagHeader } from "../../http/routes/routeHeaders.js";
import { json, notFound, preconditionFailed, problem, writtenHeaders } from "../../http/routes/routeResponses.js";
import { awxApplicationPath, awxApplicationsPath, changesOf, checkOrganization, inAwxTerms, toAwxApplication } from "./awxApplication.js";
import { openAwxLookup } from "./awxLookup.js";
import { awxPageOf, findAll } from "./awxPaging.js";
import {
  AwxApplication,
  AwxApplicationCreate,
  AwxApplicationPatch,
  AwxApplicationReplace,
  AwxItemParams,
  AwxListQuery,
  awxPage,
  awxTag,
  type AwxOrderField,
} from "./awxSchemas.js";
import { awxListOptions } from "./awxOptions.js";
import { awxRelatedRoutes } from "./awxRelatedRoutes.js";

export type AwxRouteDependencies = ClientApplicationRouteDependencies & Readonly<{ readModels: ReadModelStore }>;

const tags = [awxTag];
const item = `${awxApplicationsPath}{id}/`;

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
  const lookup = await openAwxLookup(deps);
  const { caughtUp, numberOf, applicationOf, numbers } = lookup;

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
    ...(await awxRelatedRoutes(deps, lookup)),
  ];
};
