"""Deploy only after a DDM shard migration finished: JobGate and get_ddm_jobs from the otcjobs plugin.

The names below are those `pulumi package gen-sdk` / `pulumi package add` generate from the plugin's
schema (package `pulumi_otcjobs`): functions in snake_case, arguments in snake_case.
"""
import pulumi
import pulumi_otcjobs as otcjobs

config = pulumi.Config()
migration_job_id = config.require("migrationJobId")

# Waits during `pulumi up` until the job completed; fails the deployment naming it if it failed.
migration = otcjobs.JobGate(
    "shard-migration",
    service="ddm",
    job_ids=[migration_job_id],
    timeout="45m",
    poll_interval="15s",
    not_found_grace="5m",
)

# The job as it is now (Output form: waits for the gate).
job = otcjobs.get_ddm_job_output(job_id=migration_job_id, opts=pulumi.InvokeOutputOptions(depends_on=[migration]))

# Failed DDM jobs of the last day, for the record.
failed = otcjobs.get_ddm_jobs(start_time="1d", phase="failed")

pulumi.export("migrationStatus", job.status)
pulumi.export("gateCheckedAt", migration.checked_at)
pulumi.export("failedYesterday", failed.summary.total)
