import { generateCredential } from "@clientapps/credentials";
import { afterEach, beforeEach, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../testing/testApi.js";
import { bootstrapAdmin, InvalidAdminTokenError } from "./bootstrapAdmin.js";

let t: TestApi;
beforeEach(async () => {
  t = await startTestApi();
});
afterEach(() => t.close());

const answersTo = async (token: string) =>
  (await t.http().get("/api/v1/clientapplications").set("Authorization", `Bearer ${token}`)).status;

it("issues a bootstrap token once, and only when the workspace has no admin", async () => {
  const announced: string[] = [];
  const announce = (token: string) => void announced.push(token);
  await bootstrapAdmin(t.api.credentials, { configuredToken: undefined, workspaceId: "boot", now: new Date(), announce });
  await bootstrapAdmin(t.api.credentials, { configuredToken: undefined, workspaceId: "boot", now: new Date(), announce });
  expect(announced).toHaveLength(1);
  expect(await answersTo(announced[0]!)).toBe(200);
});

it("makes a configured token the only admin token: the bootstrap token and an earlier configured one stop working", async () => {
  const announced: string[] = [];
  await bootstrapAdmin(t.api.credentials, {
    configuredToken: undefined,
    workspaceId: "boot",
    now: new Date(),
    announce: (token) => void announced.push(token),
  });
  const first = generateCredential("adminToken");
  await bootstrapAdmin(t.api.credentials, { configuredToken: first, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(first)).toBe(200);
  expect(await answersTo(announced[0]!)).toBe(401);

  // Rotating the configured token after a leak ends the old one at the next start.
  const second = generateCredential("adminToken");
  await bootstrapAdmin(t.api.credentials, { configuredToken: second, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(second)).toBe(200);
  expect(await answersTo(first)).toBe(401);
  // Restarting with the same configured token keeps it working.
  await bootstrapAdmin(t.api.credentials, { configuredToken: second, workspaceId: "boot", now: new Date(), announce: () => {} });
  expect(await answersTo(second)).toBe(200);
});

it("refuses a configured value that is not one of our admin tokens", async () => {
  await expect(
    bootstrapAdmin(t.api.credentials, { configuredToken: "hunter2", workspaceId: "boot", now: new Date(), announce: () => {} }),
  ).rejects.toBeInstanceOf(InvalidAdminTokenError);
});
