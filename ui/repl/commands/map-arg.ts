// The map argument of `.print` and `.clear`: `@name` (or a bare name, `@` included).
export function mapArgument(arg: string): string | undefined {
  const name = arg.startsWith('@') ? arg : `@${arg}`;
  return /^@[A-Za-z_0-9]*$/.test(name) ? name : undefined;
}
