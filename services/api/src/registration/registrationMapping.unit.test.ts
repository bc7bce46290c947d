import { registrationMetadataViolations } from "@clientapps/domain";
import { describe, expect, it } from "vitest";
import { fromClientMetadata } from "./registrationMapping.js";

describe("fromClientMetadata", () => {
  it("fills in the RFC 7591 §2 defaults for an empty request", () => {
    const fields = fromClientMetadata({});

    expect(fields).toMatchObject({ isConfidential: true, grantTypes: ["authorization_code"], redirectUris: [], scopes: [] });
    expect(fields.metadata).toMatchObject({ tokenEndpointAuthMethod: "client_secret_basic", responseTypes: ["code"] });
  });

  it("defaults to no response type when the grants leave out authorization_code, so its own default is consistent (§2.1)", () => {
    const fields = fromClientMetadata({ grant_types: ["client_credentials"] });

    expect(fields.metadata.responseTypes).toEqual([]);
    expect(registrationMetadataViolations(fields.metadata, fields)).toEqual([]);
  });

  it("keeps response types that were sent, for the domain to judge", () => {
    const fields = fromClientMetadata({ grant_types: ["client_credentials"], response_types: ["code"] });

    expect(fields.metadata.responseTypes).toEqual(["code"]);
    expect(registrationMetadataViolations(fields.metadata, fields).map((violation) => violation.field)).toEqual(["responseTypes"]);
  });
});
