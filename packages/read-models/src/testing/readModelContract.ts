import { describe } from "vitest";
import { describeCheckpointContract } from "./checkpointContract.js";
import { type ReadModelStoreFactory, useContractStore } from "./contractFixture.js";
import { describeDocumentContract } from "./documentContract.js";
import { describeFindContract } from "./findContract.js";

/**
 * The behaviour every read-model adapter shares. `createStore` is called before
 * each test and `dispose` after it; tests use random collection and checkpoint
 * names, so one database may serve them all. Nothing here needs transactions or
 * change streams, which MongoDB-compatible test servers lack.
 */
export const describeReadModelContract = (adapterName: string, createStore: ReadModelStoreFactory): void => {
  describe(`read-model store contract: ${adapterName}`, () => {
    const store = useContractStore(createStore);
    describeDocumentContract(store);
    describeFindContract(store);
    describeCheckpointContract(store);
  });
};
