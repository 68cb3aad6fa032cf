// The precomputed tables as JSON text. From source (tests, tsx) there are none and the
// tables are built from their declarations; the bundle's build (build.mjs) replaces this
// module with the JSON of the tables it built from the same declarations (snapshot.ts).
export const PREBUILT_JSON: string | undefined = undefined;
