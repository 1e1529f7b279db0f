// The device side of DeviceAgent. See ../../docs/ for the behaviour it emulates.
[assembly: System.CLSCompliant(false)]
