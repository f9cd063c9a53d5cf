import "server-only";
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import type { AwsClients } from "./clients";
import { callAws, type Probe } from "./call";

export async function pingCloudWatch(clients: AwsClients): Promise<void> {
  await callAws("cloudwatch", "DescribeAlarms", () => clients.cloudwatch.send(new DescribeAlarmsCommand({ MaxRecords: 1 })));
}

export const cloudwatchProbes: Record<string, Probe> = {
  DescribeAlarmHistory: (clients) =>
    clients.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "fanout-capability-probe", MaxRecords: 1 })),
};
