using System.Text;
using DeviceAgent.Enrollment;
using DeviceAgent.Protocol;

namespace DeviceAgent.Fuzzing.Targets;

/// <summary>
/// The device's reader of the MS-MDE2 2.2.9 wap-provisioningdoc (ProvisioningDocumentParser.Parse; bytes decoded as the
/// enrollment client decodes the base64 payload, UTF-8) with the fuzzed device's key
/// (<see cref="EnrollmentWorld.DeviceKey"/>, for which the seed's certificate was issued). Refusal:
/// EnrollmentFaultException (the parser's malformed-document fault).
/// </summary>
internal sealed class ProvisioningDocumentTarget : FuzzTarget
{
    public override string Name => "provisioning";

    public override string Description => "wap-provisioningdoc reader (ProvisioningDocumentParser.Parse)";

    public override void Prepare() => _ = EnrollmentWorld.DeviceKey;

    public override FuzzOutcome Run(byte[] input)
    {
        try
        {
            var result = ProvisioningDocumentParser.Parse(Encoding.UTF8.GetString(input), EnrollmentWorld.DeviceKey);
            result.ClientCertificate.Dispose();
            result.RootCertificate.Dispose();
            return FuzzOutcome.Accepted;
        }
        catch (EnrollmentFaultException)
        {
            return FuzzOutcome.Rejected;
        }
    }
}
