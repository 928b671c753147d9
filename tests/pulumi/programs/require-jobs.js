// Gating without a resource: the guarded resource is registered only if the job succeeded.
const pulumi = require("@pulumi/pulumi");
const { getDdmJobOutput, requireJobs } = require("pulumi-otc-jobs");

class Thing extends pulumi.CustomResource {
  constructor(name, opts) {
    super("test:index:Thing", name, {}, opts);
  }
}
const job = getDdmJobOutput({ jobId: process.env.TEST_JOB_ID });
const ready = requireJobs(job.apply((j) => ({ jobs: [j] })));
new Thing("guarded", { dependsOn: ready });
new Thing("unguarded");
exports.status = job.status;
