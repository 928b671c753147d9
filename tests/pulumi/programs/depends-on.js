// A data source that waits on a resource being created: in preview it must not call the API.
const pulumi = require("@pulumi/pulumi");
const { getDdmJobsOutput } = require("pulumi-otc-jobs");

class Thing extends pulumi.CustomResource {
  constructor(name) {
    super("test:index:Thing", name, {}, {});
  }
}
const thing = new Thing("database");
const jobs = getDdmJobsOutput({ startTime: "1d" }, { dependsOn: thing });
const secretInput = getDdmJobsOutput({ startTime: pulumi.secret("1d") });
exports.count = jobs.apply((r) => r.jobs.length);
exports.secretCount = secretInput.apply((r) => r.jobs.length);
exports.secretIsSecret = pulumi.output(pulumi.isSecret(secretInput));
