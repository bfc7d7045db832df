def main() -> None:
    print("cmkg")
