// cdktf declares its jest matchers on `jest.Matchers<R>`; @types/jest 30 declares `Matchers<R, T>`, so the
// augmentation does not merge. Declare the ones the tests use with the current signature.
import type { TerraformConstructor } from 'cdktf/lib/testing/matchers';

declare global {
  namespace jest {
    interface Matchers<R, T = {}> {
      toHaveResource(resourceConstructor: TerraformConstructor): R;
      toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, any>): R;
      toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, any>): R;
    }
  }
}
export {};
