/** Paddock's version, shared by the app and the runner (kept equal to package.json by a unit test). */
export const PADDOCK_VERSION = '0.1.0';
