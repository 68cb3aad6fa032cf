// Non-code assets imported as text (grammar files); esbuild and vitest load them as strings.
declare module '*.ohm' {
  const text: string;
  export default text;
}
