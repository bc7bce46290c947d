import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectProblem } from "../testing/expectProblem.js";
import { startTestApi, testMetricsToken, type TestApi } from "../testing/testApi.js";

/** Request counts per route and status are every tenant's business: the API port shows them to the scraper only. */
describe("access to /metrics on the API port", () => {
  describe("with CLIENTAPPS_METRICS_TOKEN set", () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi({ metricsToken: testMetricsToken });
    });
    afterAll(async () => {
      await t.close();
    });

    it("is a 401 without the token, naming the Bearer scheme", async () => {
      const response = await t.http().get("/metrics");

      expectProblem(response, 401, "missing_credentials");
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      expect(response.text).not.toContain("clientapps_http_requests_total");
    });

    it.each(["Bearer wrong-token-of-some-length", `Bearer ${testMetricsToken}x`, `Basic ${testMetricsToken}`])(
      "is a 401 with the credential %s",
      async (authorization) => {
        expectProblem(await t.http().get("/metrics").set("Authorization", authorization), 401, "invalid_token");
      },
    );

    it("answers the scraper that presents the token", async () => {
      const response = await t.http().get("/metrics").set("Authorization", `Bearer ${testMetricsToken}`);

      expect(response.status).toBe(200);
      expect(response.text).toContain("clientapps_http_requests_total");
    });
  });

  describe("without a token", () => {
    let t: TestApi;
    beforeAll(async () => {
      t = await startTestApi();
    });
    afterAll(async () => {
      await t.close();
    });

    it("is a 404: metrics are served on the ops port only", async () => {
      const response = await t.http().get("/metrics");

      expectProblem(response, 404, "route_not_found");
      expect(response.text).not.toContain("clientapps_http_requests_total");
    });
  });
});
