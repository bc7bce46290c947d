import { generateCredential } from "@clientapps/credentials";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { bootstrapAdmin, InvalidAdminTokenError } from "./bootstrapAdmin.js";

let t: TestApi;
beforeEach(async () => {
  t = await startTestApi();
});
afterEach(() => t.close());

const deps = () => ({ eventStore: t.engines.eventStore, hasher: t.hasher });

const answersTo = async (token: string) =>
  (await t.http().get("/api/v1/clientapplications").set("Authorization", `Bearer ${token}`)).status;

it("issues a bootstrap token once, and only when the workspace has no admin", async () => {
  const announced: string[] = [];
  const announce = (token: string) => void announced.push(token);
  await bootstrapAdmin(deps(), { configuredToken: undefined, workspaceId: "boot", now: new Date(), announce });
  await bootstrapAdmin(deps(), { configuredToken: undefined, workspaceId: "boot", now: new Date(), announce });
  expect(announced).toHaveLength(1);
  expect(await answersTo(announced[0]!)).toBe(200);
});

it("makes a configured token the only admin token: the bootstrap token and an earlier configured one stop working", async () => {
  const announced: string[] = [];
  await bootstrapAdmin(deps(), {
    configuredToken: undefined,
    workspaceId: "boot",
    now: new Date(),
    announce: (token) => void announced.push(token),
  });
  const first = generateCredential("adminToken");
  await bootstrapAdmin(deps(), { configuredToken: first, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(first)).toBe(200);
  expect(await answersTo(announced[0]!)).toBe(401);

  // Rotating the configured token after a leak ends the old one at the next start.
  const second = generateCredential("adminToken");
  await bootstrapAdmin(deps(), { configuredToken: second, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(second)).toBe(200);
  expect(await answersTo(first)).toBe(401);
  // Restarting with the same configured token keeps it working.
  await bootstrapAdmin(deps(), { configuredToken: second, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(second)).toBe(200);
});

it("refuses a configured value that is not one of our admin tokens", async () => {
  await expect(
    bootstrapAdmin(deps(), { configuredToken: "hunter2", workspaceId: "boot", now: new Date(), announce: () => {} }),
  ).rejects.toBeInstanceOf(InvalidAdminTokenError);
});

it("creates the admin workspace by an event of its own stream, and issues the token there, never storing it", async () => {
  const announced: string[] = [];
  await bootstrapAdmin(deps(), {
    configuredToken: undefined,
    workspaceId: "boot",
    now: t.now(),
    announce: (token) => void announced.push(token),
  });

  const events = await t.engines.eventStore.readStream("workspace-boot");
  expect(events.map((event) => [event.type, event.metadata.actor])).toEqual([
    ["WorkspaceCreated", { type: "system", id: "bootstrap" }],
    ["AdminTokenIssued", { type: "system", id: "bootstrap" }],
  ]);
  expect(JSON.stringify(events)).not.toContain(announced[0]!);
  expect(JSON.stringify(events)).toContain(t.hasher.hash(announced[0]!));
});

it("leaves a suspended admin workspace suspended: its tokens stay refused after a restart", async () => {
  const configured = generateCredential("adminToken");
  await bootstrapAdmin(deps(), { configuredToken: configured, workspaceId: "boot", now: t.now(), announce: () => {} });
  await t.workspaceCommand({ type: "SuspendWorkspace", data: { workspaceId: "boot" }, metadata: { now: t.now() } });

  await bootstrapAdmin(deps(), { configuredToken: configured, workspaceId: "boot", now: t.now(), announce: () => {} });

  expect(await answersTo(configured)).toBe(401);
});
