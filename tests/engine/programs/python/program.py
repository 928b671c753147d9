"""The engine suite's program (tests/engine/scenario.ts) with the generated SDK `pulumi_otcjobs`."""
import pulumi
import pulumi_otcjobs as otcjobs


def program() -> None:
    config = pulumi.Config()
    completed_job_id = config.require("completedJobId")

    if config.require("mode") == "fail":
        # The job already failed: `up` fails naming it, and `dependent` is never created.
        doomed = otcjobs.JobGate("doomed", service="ddm", job_ids=[config.require("failingJobId")], poll_interval="1s")
        otcjobs.JobGate("dependent", service="ddm", job_ids=[completed_job_id],
                        opts=pulumi.ResourceOptions(depends_on=[doomed]))
        return

    migration = otcjobs.JobGate("migration", service="ddm", job_ids=[config.require("runningJobId")],
                                poll_interval="1s", timeout="10m")
    secret_gate = otcjobs.JobGate("secretGate", service="dds", job_ids=[config.require_secret("secretJobId")],
                                  poll_interval="1s")
    # Unknown in a preview: the gate's outputs exist only once it ran.
    migration_job_id = migration.jobs.apply(lambda jobs: jobs[0].id)
    after = otcjobs.JobGate("after", service="ddm", job_ids=[migration_job_id], poll_interval="1s",
                            opts=pulumi.ResourceOptions(depends_on=[migration]))

    failed_ddm = otcjobs.get_ddm_jobs_output(start_time="7d", phase="failed")
    dds_jobs = otcjobs.get_dds_jobs_output(start_time="7d")
    syncs = otcjobs.get_drs_jobs(db_use_type="sync")
    migration_now = otcjobs.get_ddm_job_output(job_id=migration_job_id)
    secret_now = otcjobs.get_dds_job_output(job_id=secret_gate.jobs.apply(lambda jobs: jobs[0].id))

    pulumi.export("migrationStatus", migration_now.status)
    pulumi.export("secretJobStatus", secret_now.status)
    pulumi.export("failedDdm", failed_ddm.total)
    pulumi.export("ddsTotal", dds_jobs.total)
    pulumi.export("syncs", syncs.total)
    pulumi.export("afterPhase", after.jobs.apply(lambda jobs: jobs[0].phase))
