import * as pulumi from "@pulumi/pulumi";

/** Something to wait on: a custom resource's id (unknown while it is being created), else its URN. */
function readiness(r: pulumi.Resource): pulumi.Output<unknown> {
  return pulumi.CustomResource.isInstance(r) ? r.id : r.urn;
}

function dependencies(dependsOn: pulumi.InvokeOutputOptions["dependsOn"]): pulumi.Output<unknown[]> {
  if (!dependsOn) return pulumi.output([]);
  const one = (d: pulumi.Input<pulumi.Resource>): pulumi.Output<unknown> =>
    pulumi.Resource.isInstance(d) ? readiness(d) : pulumi.output(d as pulumi.Output<pulumi.Resource>).apply((r) => readiness(r));
  if (Array.isArray(dependsOn)) return pulumi.all(dependsOn.map(one));
  if (pulumi.Resource.isInstance(dependsOn)) return pulumi.all([readiness(dependsOn)]);
  return (dependsOn as pulumi.Output<pulumi.Input<pulumi.Resource>[] | pulumi.Resource>).apply((v) =>
    Array.isArray(v) ? pulumi.all(v.map(one)) : pulumi.all([readiness(v)]),
  );
}

/**
 * The Output form of a data source, with the semantics of Pulumi's `invokeOutput`: it waits for
 * `dependsOn` resources, makes no call while an input or a dependency is unknown (preview), and a
 * secret input makes the result secret. It runs in the program's process.
 */
export function invokeOutput<A, R>(
  args: pulumi.Input<A> | undefined,
  opts: pulumi.InvokeOutputOptions | undefined,
  call: (plain: A) => Promise<R>,
): pulumi.Output<R> {
  return pulumi.all([pulumi.output(args ?? ({} as A)), dependencies(opts?.dependsOn)]).apply(([plain]) =>
    call(plain as A),
  ) as pulumi.Output<R>;
}
