/*
 * rate-limiter-flexible declares RateLimiterStoreAbstract (the base of custom stores)
 * in its types but does not export it from its main entry; its file does.
 */
declare module "rate-limiter-flexible/lib/RateLimiterStoreAbstract.js" {
  import { RateLimiterStoreAbstract } from "rate-limiter-flexible";
  export default RateLimiterStoreAbstract;
}
