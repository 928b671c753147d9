"""`python driver.py preview|up <stack> <event-log>`: runs program.py's program with the real `pulumi`
CLI on PATH through the Automation API (an inline program: the SDK hosts it in this process, standing
in for pulumi-language-python, which the Go module proxy does not serve). Engine events go to the log,
one JSON object per line; the CLI's output to stdout."""
import json
import os
import sys

from pulumi import automation as auto

from program import program


def main() -> int:
    op, stack_name, event_log = sys.argv[1:4]
    here = os.path.dirname(os.path.abspath(__file__))
    # The inline form takes its directory through opts (a work_dir keyword is for local programs only).
    stack = auto.select_stack(stack_name=stack_name, project_name="otcjobs-engine-python", program=program,
                              opts=auto.LocalWorkspaceOptions(work_dir=here))

    def on_event(event: auto.EngineEvent) -> None:
        with open(event_log, "a", encoding="utf-8") as f:
            f.write(json.dumps(event, default=lambda o: getattr(o, "__dict__", str(o))) + "\n")

    try:
        if op == "preview":
            stack.preview(on_output=print, on_event=on_event)
        elif op == "up":
            stack.up(on_output=print, on_event=on_event)
        else:
            raise ValueError(f"unknown operation {op}")
    except auto.CommandError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
