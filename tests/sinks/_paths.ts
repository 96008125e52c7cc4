/** File URL to path, for locating the tests' helper scripts. */
export { fileURLToPath as fromFileUrl } from "node:url";
