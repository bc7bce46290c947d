export { describeReadModelContract } from "./readModelContract.js";
export type { ReadModelStoreFactory } from "./contractFixture.js";
