import * as pulumi from "@pulumi/pulumi";

/** The plain value behind a Pulumi Input (outside a Pulumi program, every value is known). */
export function resolve<T>(input: pulumi.Input<T>): Promise<T> {
  return new Promise((done) => {
    pulumi.output(input).apply((value) => {
      done(value as T);
      return value;
    });
  });
}
