export * from "./model.js";
export * from "./names.js";
export * from "./walk.js";
