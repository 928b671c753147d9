// requireJobs({ latestPerName: true }): only the newest run of each task name counts.
const pulumi = require("@pulumi/pulumi");
const { getDdmJobsOutput, requireJobs } = require("pulumi-otc-jobs");

class Thing extends pulumi.CustomResource {
  constructor(name, opts) {
    super("test:index:Thing", name, {}, opts);
  }
}
const jobs = getDdmJobsOutput({ name: process.env.TEST_TASK, startTime: "1h" });
const latest = new Thing("latest", { dependsOn: requireJobs(jobs, { latestPerName: true }) });
new Thing("every", { dependsOn: requireJobs(jobs) });
// The runner settles exported Outputs before reporting: wait for the registration.
exports.latest = latest.urn;
