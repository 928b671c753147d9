// The engine suite's program (tests/engine/scenario.ts) in Go with the SDK generated from the plugin's
// schema (sdk/go/otcjobs), and its driver: `otcjobs-engine-go preview|up <stack> <event-log> <dir>` runs
// the program with the real `pulumi` CLI on PATH through the Automation API (an inline program: the SDK
// hosts it in this process, standing in for pulumi-language-go, which the Go module proxy does not
// serve). Engine events go to the log, one JSON object per line; the CLI's output to stdout.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/otc-jobs/pulumi-otcjobs/sdk/go/otcjobs"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	completedJobID := cfg.Require("completedJobId")

	if cfg.Require("mode") == "fail" {
		// The job already failed: `up` fails naming it, and `dependent` is never created.
		doomed, err := otcjobs.NewJobGate(ctx, "doomed", &otcjobs.JobGateArgs{
			Service: pulumi.String("ddm"), JobIds: pulumi.StringArray{pulumi.String(cfg.Require("failingJobId"))}, PollInterval: pulumi.String("1s"),
		})
		if err != nil {
			return err
		}
		_, err = otcjobs.NewJobGate(ctx, "dependent", &otcjobs.JobGateArgs{
			Service: pulumi.String("ddm"), JobIds: pulumi.StringArray{pulumi.String(completedJobID)},
		}, pulumi.DependsOn([]pulumi.Resource{doomed}))
		return err
	}

	migration, err := otcjobs.NewJobGate(ctx, "migration", &otcjobs.JobGateArgs{
		Service: pulumi.String("ddm"), JobIds: pulumi.StringArray{pulumi.String(cfg.Require("runningJobId"))},
		PollInterval: pulumi.String("1s"), Timeout: pulumi.String("10m"),
	})
	if err != nil {
		return err
	}
	secretGate, err := otcjobs.NewJobGate(ctx, "secretGate", &otcjobs.JobGateArgs{
		Service: pulumi.String("dds"), JobIds: pulumi.StringArray{cfg.RequireSecret("secretJobId")}, PollInterval: pulumi.String("1s"),
	})
	if err != nil {
		return err
	}
	// Unknown in a preview: the gate's outputs exist only once it ran.
	migrationJobID := migration.Jobs.Index(pulumi.Int(0)).Id()
	after, err := otcjobs.NewJobGate(ctx, "after", &otcjobs.JobGateArgs{
		Service: pulumi.String("ddm"), JobIds: pulumi.StringArray{migrationJobID}, PollInterval: pulumi.String("1s"),
	}, pulumi.DependsOn([]pulumi.Resource{migration}))
	if err != nil {
		return err
	}

	failedDdm := otcjobs.GetDdmJobsOutput(ctx, otcjobs.GetDdmJobsOutputArgs{StartTime: pulumi.String("7d"), Phase: pulumi.String("failed")})
	ddsJobs := otcjobs.GetDdsJobsOutput(ctx, otcjobs.GetDdsJobsOutputArgs{StartTime: pulumi.String("7d")})
	syncs, err := otcjobs.GetDrsJobs(ctx, &otcjobs.GetDrsJobsArgs{DbUseType: "sync"})
	if err != nil {
		return err
	}
	migrationNow := otcjobs.GetDdmJobOutput(ctx, otcjobs.GetDdmJobOutputArgs{JobId: migrationJobID})
	secretNow := otcjobs.GetDdsJobOutput(ctx, otcjobs.GetDdsJobOutputArgs{JobId: secretGate.Jobs.Index(pulumi.Int(0)).Id()})

	ctx.Export("migrationStatus", migrationNow.Status())
	ctx.Export("secretJobStatus", secretNow.Status())
	ctx.Export("failedDdm", failedDdm.Total())
	ctx.Export("ddsTotal", ddsJobs.Total())
	ctx.Export("syncs", pulumi.Int(syncs.Total))
	ctx.Export("afterPhase", after.Jobs.Index(pulumi.Int(0)).Phase())
	return nil
}

func main() {
	if err := drive(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func drive(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: otcjobs-engine-go preview|up <stack> <event-log> <project-dir>")
	}
	op, stackName, eventLog, dir := args[0], args[1], args[2], args[3]
	ctx := context.Background()
	stack, err := auto.SelectStackInlineSource(ctx, stackName, "otcjobs-engine-go", program, auto.WorkDir(dir))
	if err != nil {
		return err
	}
	log, err := os.OpenFile(eventLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer log.Close()
	stream := make(chan events.EngineEvent)
	done := make(chan struct{})
	go func() {
		defer close(done)
		enc := json.NewEncoder(log)
		for e := range stream {
			_ = enc.Encode(e)
		}
	}()
	switch op {
	case "preview":
		_, err = stack.Preview(ctx, optpreview.ProgressStreams(os.Stdout), optpreview.EventStreams(stream))
	case "up":
		_, err = stack.Up(ctx, optup.ProgressStreams(os.Stdout), optup.EventStreams(stream))
	default:
		err = fmt.Errorf("unknown operation %s", op)
	}
	<-done
	return err
}
