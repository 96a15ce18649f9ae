/**
 * engineTestProgram() as a program file, for the engine stand-in (ProgramStack `main`), which runs
 * programs the way the Node language host does: `@pulumi/pulumi/cmd/run <main>` calls the function
 * the module exports and takes what it returns as the stack's outputs. The real CLI runs the same
 * function inline (tests/engine/standIn.test.ts compares the two).
 */
import { engineTestProgram } from "./engineProgram";

module.exports = engineTestProgram();
