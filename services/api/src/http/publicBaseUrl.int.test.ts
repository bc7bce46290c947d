import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCaller } from "../testing/clientApplicationRequests.js";
import { minimalMetadata, register, registrationPath } from "../testing/registrationRequests.js";
import { startTestApi, type TestApi } from "../testing/testApi.js";

/** The absolute URIs the API answers (RFC 7592's registration_client_uri, Location) are never built from what a caller claims. */
describe("absolute URIs", () => {
  const registered = async (t: TestApi, host: string | undefined) => {
    const caller = await newCaller(t);
    const request = register(t, caller.auth, minimalMetadata());
    const response = await (host === undefined ? request : request.set("Host", host));
    expect(response.status).toBe(201);
    return {
      uri: response.body.registration_client_uri as string,
      location: response.headers.location,
      clientId: response.body.client_id as string,
    };
  };

  describe("without a configured public URL", () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi();
    });
    afterAll(async () => {
      await t.close();
    });

    it.each(["evil.example.com/x?y=", "evil.example.com:99999", "evil.example.com@good.example.com", "a b", "[::1"])(
      "ignores the invalid Host %s and answers with the listen address",
      async (host) => {
        const { uri, location, clientId } = await registered(t, host);

        expect(uri).toMatch(new RegExp(`^http://(127\\.0\\.0\\.1|\\[[0-9a-f:.]+\\]):\\d+${registrationPath}/${clientId}$`));
        expect(location).toBe(uri);
        expect(uri).not.toContain("evil");
      },
    );

    it("uses a Host that is a valid host[:port]", async () => {
      const { uri, clientId } = await registered(t, "clientapps.example.net:8443");

      expect(uri).toBe(`http://clientapps.example.net:8443${registrationPath}/${clientId}`);
    });
  });

  describe("with CLIENTAPPS_PUBLIC_URL", () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi({ publicUrl: "https://clientapps.example.com/auth" });
    });
    afterAll(async () => {
      await t.close();
    });

    it("builds them from the public URL, whatever the Host", async () => {
      const { uri, location, clientId } = await registered(t, "evil.example.com");

      expect(uri).toBe(`https://clientapps.example.com/auth${registrationPath}/${clientId}`);
      expect(location).toBe(uri);
    });
  });
});
