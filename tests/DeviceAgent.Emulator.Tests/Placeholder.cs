namespace DeviceAgent.Emulator.Tests;
