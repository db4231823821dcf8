/** A command's refusal of its arguments: the message, then the usage, exit status 2. */
export function failWithUsage(usage: string): (message: string) => never {
  return (message) => {
    console.error(message);
    console.error(usage);
    process.exit(2);
  };
}
