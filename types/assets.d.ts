// Non-code assets imported by the sources: a .ohm grammar file imports as its
// precompiled Ohm recipe (a JSON string), built by build/ohm-recipe.mjs.
declare module '*.ohm' {
  const recipe: string;
  export default recipe;
}
