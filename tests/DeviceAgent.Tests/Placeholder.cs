namespace DeviceAgent.Tests;
