// The reference page's example with the AWS SDK for JavaScript v3: A and B in
// us-east-1a, C (termination-protected) and D in us-east-1b. Terminating all four
// terminates A and B, leaves C and D running, and reports OperationNotPermitted.
// The endpoint comes from AWS_ENDPOINT_URL_EC2 (or pass `endpoint` to EC2Client).
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceTerminated,
} from "@aws-sdk/client-ec2";

const ec2 = new EC2Client({
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});
const waiter = { client: ec2, maxWaitTime: 60, minDelay: 0.25, maxDelay: 1 };

const { Images } = await ec2.send(
  new DescribeImagesCommand({
    Owners: ["amazon"],
    Filters: [{ Name: "name", Values: ["al2023-ami-2023.*-x86_64"] }],
  }),
);
const image = Images[0].ImageId;

async function launch(zone, protectedFromTermination = false) {
  const { Instances } = await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      InstanceType: "t3.micro",
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
      DisableApiTermination: protectedFromTermination,
    }),
  );
  return Instances[0].InstanceId;
}

const ids = {
  A: await launch("us-east-1a"),
  B: await launch("us-east-1a"),
  C: await launch("us-east-1b", true),
  D: await launch("us-east-1b"),
};
await waitUntilInstanceRunning(waiter, { InstanceIds: Object.values(ids) });

try {
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: Object.values(ids) }));
} catch (error) {
  console.log(`TerminateInstances: ${error.name} (HTTP ${error.$metadata.httpStatusCode}): ${error.message}`);
}

await waitUntilInstanceTerminated(waiter, { InstanceIds: [ids.A, ids.B] });
const { Reservations } = await ec2.send(
  new DescribeInstancesCommand({ InstanceIds: Object.values(ids) }),
);
const state = Object.fromEntries(
  Reservations.flatMap((r) => r.Instances).map((i) => [i.InstanceId, i.State.Name]),
);
for (const [name, id] of Object.entries(ids)) {
  console.log(name, id, state[id]);
}
