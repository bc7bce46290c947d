import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsPath, getClient, newCaller, newClientId } from "../testing/clientApplicationRequests.js";
import { auditedEntryOf, feedEntries } from "../testing/activityRequests.js";
import {
  awxApplication,
  awxApplicationsPath,
  givenAwxApplication,
  givenOauthApp,
  oauthApp,
  oauthAppPath,
} from "../testing/dialectRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/*
 * The three dialects are three views of one registry: a client made in any of them
 * is the same client, with the same fields, in the other two and in the activity stream.
 */

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ now: new Date("2026-03-01T08:00:00.000Z") });
});
afterAll(async () => {
  await t.close();
});

describe("awork's, AWX's and the OAuth-apps dialects", () => {
  it("each read the clients the other two made, as the same clients", async () => {
    const caller = await newCaller(t);
    const read = async (clientId: string) => {
      const awork = await getClient(t, caller.auth, clientId);
      const awx = await t.http().get(awxApplicationsPath).query({ client_id: clientId }).set("Authorization", caller.auth);
      const apps = await t.http().get(oauthAppPath(clientId)).set("Authorization", caller.auth);
      expect([awork.status, awx.status, awx.body.count, apps.status]).toEqual([200, 200, 1, 200]);
      return {
        awork: awork.body as Record<string, unknown>,
        awx: awx.body.results[0] as Record<string, unknown>,
        apps: apps.body as Record<string, unknown>,
      };
    };

    const aworkId = newClientId("awork");
    const inAwork = await t
      .http()
      .post(clientsPath)
      .set("Authorization", caller.auth)
      .send({ clientId: aworkId, displayName: "From awork", description: "one", redirectUris: ["https://awork.example.com/cb"] });
    expect(inAwork.status).toBe(201);
    const inAwx = await givenAwxApplication(
      t,
      caller,
      awxApplication({ name: "From AWX", description: "two", redirect_uris: "https://awx.example.com/cb" }),
    );
    const inApps = await givenOauthApp(
      t,
      caller,
      oauthApp({ name: "From apps", description: "three", redirectUri: "https://apps.example.com/cb" }),
    );

    const made = [
      { clientId: aworkId, name: "From awork", description: "one", redirectUri: "https://awork.example.com/cb", write: inAwork },
      {
        clientId: inAwx.body.client_id as string,
        name: "From AWX",
        description: "two",
        redirectUri: "https://awx.example.com/cb",
        write: inAwx,
      },
      {
        clientId: inApps.body.clientId as string,
        name: "From apps",
        description: "three",
        redirectUri: "https://apps.example.com/cb",
        write: inApps,
      },
    ];
    for (const [index, { clientId, name, description, redirectUri, write }] of made.entries()) {
      const { awork, awx, apps } = await read(clientId);
      expect(awork).toMatchObject({ clientId, displayName: name, description, redirectUris: [redirectUri], isConfidential: true });
      expect(awx).toMatchObject({
        id: index + 1,
        client_id: clientId,
        name,
        description,
        redirect_uris: redirectUri,
        client_type: "confidential",
      });
      expect(apps).toMatchObject({ clientId, name, description, redirectUri, isActive: true });
      expect([awork.createdOn, awork.updatedOn]).toEqual([awx.created, awx.modified]);
      expect([awork.createdOn, awork.updatedOn]).toEqual([apps.createdAt, apps.updatedAt]);
      expect(await auditedEntryOf(t, caller.auth, write)).toMatchObject({ eventType: "ClientRegistered", object: { id: clientId } });
    }
  });

  it("each delete the clients the other two made: gone everywhere, and the revocation feed says so", async () => {
    const caller = await newCaller(t);
    const madeInAwx = (await givenAwxApplication(t, caller)).body as { id: number; client_id: string };
    const madeInApps = (await givenOauthApp(t, caller)).body.clientId as string;
    const madeInAwork = newClientId("awork");
    const created = await t
      .http()
      .post(clientsPath)
      .set("Authorization", caller.auth)
      .send({ clientId: madeInAwork, displayName: "From awork", redirectUris: ["https://awork.example.com/cb"] });
    expect(created.status).toBe(201);
    const awxIdOfAwork = (await t.http().get(awxApplicationsPath).query({ client_id: madeInAwork }).set("Authorization", caller.auth)).body
      .results[0].id as number;

    const deletions = [
      await t.http().delete(oauthAppPath(madeInAwx.client_id)).set("Authorization", caller.auth),
      await t.http().delete(`${awxApplicationsPath}${awxIdOfAwork}/`).set("Authorization", caller.auth),
      await t.http().delete(`${clientsPath}/${madeInApps}`).set("Authorization", caller.auth),
    ];

    expect(deletions.map((response) => response.status)).toEqual([204, 204, 204]);
    for (const clientId of [madeInAwx.client_id, madeInAwork, madeInApps]) {
      expect((await getClient(t, caller.auth, clientId)).status).toBe(404);
      expect((await t.http().get(oauthAppPath(clientId)).set("Authorization", caller.auth)).status).toBe(404);
    }
    expect((await t.http().get(awxApplicationsPath).set("Authorization", caller.auth)).body.count).toBe(0);
    const deleted = (await feedEntries(t, caller.auth, 3)).filter((entry) => entry.reason === "client_deleted");
    expect(deleted.map((entry) => entry.clientId).sort()).toEqual([madeInAwx.client_id, madeInAwork, madeInApps].sort());
  });
});
