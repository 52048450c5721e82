export { writeGeneratedFiles } from "./generated-files.js";
export type { GeneratedFile } from "./generated-files.js";
