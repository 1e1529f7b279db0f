// Shared by the device agent and the mock MDM server; docs/mock-mdm.md "Dependencies" says what belongs here.
[assembly: System.CLSCompliant(false)]
