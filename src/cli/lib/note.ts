// Notes go to stderr so that they never mix with a program's output.
export function note(text: string): void {
  console.error(`note: ${text}`);
}
