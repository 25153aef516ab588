import type { RegisterCommand } from '../context.ts';

// Filled in by its own change; registered here so cli/main.ts stays stable.
export const registerServe: RegisterCommand = () => {};
